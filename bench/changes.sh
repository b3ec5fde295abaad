#!/usr/bin/env bash
# What each optimisation bought: builds every commit listed in bench/changes.txt in a
# throw-away git worktree, times it with that commit's own `bicyclegan bench` (same presets,
# threads and sample settings for all, a short memory run), and writes
# bench/results/change-N.json. bench/compare.sh then adds the table to RESULTS.md.
#
#   bench/changes.sh [--presets small-64,official-128,official-256] [--threads N]
#                    [--repeats N] [--sample-seconds S]
#
# Commits run one after the other in the order listed, the first being the baseline. Run it on
# a quiet machine, like compare.sh: each commit takes a few minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
presets=small-64,official-128,official-256
threads=$(nproc)
repeats=5
sample=1

while [ $# -gt 0 ]; do
  case "$1" in
    --presets) presets="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --sample-seconds) sample="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "changes.sh: unknown option '$1'; see bench/changes.sh --help." >&2; exit 2 ;;
  esac
done

export OMP_WAIT_POLICY=PASSIVE
results="$here/results"
mkdir -p "$results"
rm -f "$results"/change-*.json
n=0
grep -v '^#' "$here/changes.txt" | grep -v '^$' | while IFS=$'\t' read -r commit description; do
  tree="$(mktemp -d "${TMPDIR:-/tmp}/bicyclegan-change-XXXXXX")"
  git -C "$root" worktree add --detach --quiet "$tree" "$commit"
  echo "== change $n: $commit $description" >&2
  dotnet build "$tree/src/BicycleGan.Cli" -c Release --nologo -v quiet > /dev/null
  dotnet "$tree/src/BicycleGan.Cli/bin/Release/net10.0/linux-x64/BicycleGan.Cli.dll" bench \
    --preset "$presets" --threads "$threads" --steps 20 --repeats "$repeats" \
    --sample-seconds "$sample" --out "$results/change-$n.json"
  python3 - "$results/change-$n.json" "$commit" "$description" <<'PY'
import json, sys
path, commit, description = sys.argv[1:]
with open(path) as f:
    run = json.load(f)
run["change"] = {"commit": commit, "description": description}
with open(path, "w") as f:
    json.dump(run, f, indent=2)
PY
  git -C "$root" worktree remove --force "$tree"
  n=$((n + 1))
done
echo "Wrote $results/change-*.json; bench/compare.sh puts them into RESULTS.md" >&2
