#!/usr/bin/env bash
# Times our BicycleGAN (bicyclegan bench, Release build) and the PyTorch twin
# (bench/pytorch_step.py on Debian's PyTorch) on the same presets and thread count, then writes
# bench/RESULTS.md from their JSON with bench/make_results.py. Nothing in RESULTS.md is typed by
# hand: re-run this script to change it.
#
#   bench/compare.sh [--presets small-64,official-128,official-256] [--threads N] [--steps N]
#                    [--repeats N] [--sample-seconds S]
#
# Each preset runs ours and then PyTorch's in fresh processes, one preset at a time, so a load
# change on a shared machine hits both sides of a row alike and each process's peak memory is
# its own. Run it on a quiet machine: the load average is recorded, and RESULTS.md calls the
# numbers preliminary when it was above 1.5.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python=/usr/bin/python3 # Debian's PyTorch 1.13, not a pyenv python on PATH
presets=small-64,official-128,official-256
threads=$(nproc)
steps=1000
repeats=5
sample=1

while [ $# -gt 0 ]; do
  case "$1" in
    --presets) presets="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --sample-seconds) sample="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option '$1'; see bench/compare.sh --help." >&2; exit 2 ;;
  esac
done

# Both runtimes read this when their OpenMP library loads; spinning workers would steal the
# second core from the loader and from each other.
export OMP_WAIT_POLICY=PASSIVE
results="$here/results"
mkdir -p "$results"

# The launcher builds Release when sources changed; do it now, outside any timing.
"$root/bicyclegan" --help > /dev/null

for preset in ${presets//,/ }; do
  echo "== $preset: ours" >&2
  "$root/bicyclegan" bench --preset "$preset" --threads "$threads" --steps "$steps" \
    --repeats "$repeats" --sample-seconds "$sample" --out "$results/ours-$preset.json"
  echo "== $preset: PyTorch" >&2
  "$python" "$here/pytorch_step.py" --preset "$preset" --threads "$threads" \
    --repeats "$repeats" --sample-seconds "$sample" --out "$results/pytorch-$preset.json"
done

"$python" "$here/make_results.py" --results "$results" --presets "$presets" \
  --out "$here/RESULTS.md"
echo "Wrote $here/RESULTS.md" >&2
