#!/usr/bin/python3
"""Writes bench/RESULTS.md from the JSON of `bicyclegan bench` and bench/pytorch_step.py.

Every number in the page comes from those files; the page says where each came from, marks the
targets met or not met, and calls the whole page preliminary when the machine was busy.
"""
import argparse
import glob
import json
import os

# Above this one-minute load average before the first run, a 2-core machine is shared and
# timings wander. During a run its own threads lift the load average by 2-4, so from then on the
# CPU time other processes took (other_cpu_pct, where recorded) tells whether it stayed quiet.
QUIET_LOAD = 1.5
QUIET_OTHER_PCT = 10.0
# The memory run's length at the default `--steps 1000` (larger presets run a tenth).
MEMORY_STEPS = {"small-64": 1000, "official-128": 100, "official-256": 100}


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt(value, digits=3):
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def with_range(run, key):
    spread = run.get(key + "_spread")
    if spread is None:
        return fmt(run.get(key))
    return f"{fmt(run[key])} [{fmt(spread['min'])}–{fmt(spread['max'])}]"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def target_rows(preset, ours, torch):
    step = ours["train_step_s"] / torch["train_step_s"]
    b1 = ours["g_images_per_s_b1"] / torch["g_images_per_s_b1"]
    b8 = ours["g_images_per_s_b8"] / torch["g_images_per_s_b8"]
    growth = ours["native_growth_pct"]
    live = (ours["live_tensors_at_warmup"], ours["live_tensors_at_end"])
    steps = ours["memory_run"]["steps"]
    return [
        (preset, "training step ≤ 0.8× PyTorch's time",
         f"{fmt(step)}× PyTorch's time", verdict(step <= 0.8)),
        (preset, "G inference, batch 1 ≥ 1.25× PyTorch",
         f"{fmt(b1)}× PyTorch's images/s", verdict(b1 >= 1.25)),
        (preset, "G inference, batch 8 ≥ 1.25× PyTorch",
         f"{fmt(b8)}× PyTorch's images/s", verdict(b8 >= 1.25)),
        (preset, "data waiting < 5% of a step",
         f"{fmt(ours['data_wait_pct'], 2)}% of the loader-fed run",
         verdict(ours["data_wait_pct"] < 5)),
        (preset, "native memory flat within 5%",
         f"{fmt(growth, 2)}% over {steps} steps; live tensors {live[0]} → {live[1]}",
         verdict(abs(growth) <= 5 and live[0] == live[1])),
    ]


def preset_table(ours, torch, peak):
    rows = [
        ("training step, s (batch 2)", with_range(ours, "train_step_s"),
         with_range(torch, "train_step_s"), ours["train_step_s"] / torch["train_step_s"]),
        ("G images/s, batch 1", with_range(ours, "g_images_per_s_b1"),
         with_range(torch, "g_images_per_s_b1"),
         ours["g_images_per_s_b1"] / torch["g_images_per_s_b1"]),
        ("G images/s, batch 8", with_range(ours, "g_images_per_s_b8"),
         with_range(torch, "g_images_per_s_b8"),
         ours["g_images_per_s_b8"] / torch["g_images_per_s_b8"]),
        ("E images/s, batch 8", with_range(ours, "e_images_per_s"),
         with_range(torch, "e_images_per_s"), ours["e_images_per_s"] / torch["e_images_per_s"]),
    ]
    flops = ours["g_flops_per_image"]
    torch_gflops = torch["g_images_per_s_b8"] * flops / 1e9
    lines = [
        "| measure | ours | PyTorch | ours ÷ PyTorch |",
        "|---|---|---|---|",
    ]
    lines += [f"| {name} | {a} | {b} | {fmt(ratio)} |" for name, a, b, ratio in rows]
    lines += [
        f"| G GFLOP/s, batch 8 ({flops / 1e9:.3f} GFLOP per image) | {fmt(ours['g_gflops'])} "
        f"({100 * ours['g_gflops'] / peak:.1f}% of peak) | {fmt(torch_gflops)} "
        f"({100 * torch_gflops / peak:.1f}% of peak) | {fmt(ours['g_gflops'] / torch_gflops)} |",
        f"| peak resident memory, MB | {fmt(ours['peak_rss_mb'])} | {fmt(torch['peak_rss_mb'])} "
        f"| {fmt(ours['peak_rss_mb'] / torch['peak_rss_mb'])} |",
        f"| loader images/s (2 workers, PNG decode) | {with_range(ours, 'loader_images_per_s')} "
        "| – | – |",
        f"| loader-fed step, s / data waiting | {fmt(ours['fed_step_s'])} / "
        f"{fmt(ours['data_wait_pct'], 2)}% | – | – |",
        f"| native memory growth after warm-up | {fmt(ours['native_growth_pct'], 2)}% "
        f"(live tensors {ours['live_tensors_at_warmup']} → {ours['live_tensors_at_end']}) "
        "| – | – |",
    ]
    return lines


def params_line(ours, torch):
    same = ours["parameters"] == torch["parameters"]
    counts = ", ".join(f"{k} {v:,}" for k, v in ours["parameters"].items())
    if same:
        return f"Parameters (identical in both): {counts}."
    return (f"**Parameter counts differ, so the networks are not the same:** ours {counts}; "
            f"PyTorch {torch['parameters']}.")


def changes_table(results, presets):
    """What each optimisation bought, from bench/changes.sh's change-N.json, if present."""
    paths = sorted(glob.glob(os.path.join(results, "change-*.json")),
                   key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0]))
    if not paths:
        return []
    runs = [load(p) for p in paths]
    shown = [p for p in presets if all(p in run["presets"] for run in runs)]
    out = ["## What each change bought", "",
           "Measured by `bench/changes.sh`: each commit built on its own and timed by its own "
           "`bicyclegan bench` in turn, with the settings above (short memory run). Training "
           "step in seconds (batch 2) and G images/s at batch 1 and 8; the ratio is to the "
           "first row.", ""]
    head = "| change | commit |"
    rule = "|---|---|"
    for p in shown:
        head += f" {p} step s | {p} G b1 | {p} G b8 |"
        rule += "---|---|---|"
    out += [head, rule]
    base = runs[0]["presets"]
    for run in runs:
        change = run.get("change", {})
        row = f"| {change.get('description', '?')} | `{change.get('commit', '?')[:7]}` |"
        for p in shown:
            o, b = run["presets"][p], base[p]
            row += (f" {fmt(o['train_step_s'])} ({o['train_step_s'] / b['train_step_s']:.2f}×) |"
                    f" {fmt(o['g_images_per_s_b1'])} | {fmt(o['g_images_per_s_b8'])} |")
        out.append(row)
    dates = sorted(run["date"] for run in runs)
    out += ["", f"Measured {dates[0]} to {dates[-1]} (UTC).", ""]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--presets", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    presets = [p for p in args.presets.split(",") if p]
    runs = {p: (load(os.path.join(args.results, f"ours-{p}.json")),
                load(os.path.join(args.results, f"pytorch-{p}.json"))) for p in presets}

    first_ours, first_torch = runs[presets[0]]
    machine = first_ours["machine"]
    peak = machine["peak_gflops"]
    loads = [(p, side, run["load_average_start"][0], run["load_average_end"][0])
             for p, pair in runs.items() for side, run in zip(("ours", "PyTorch"), pair)]
    before = first_ours["load_average_start"][0]
    others = [run.get("other_cpu_pct") for pair in runs.values() for run in pair]
    recorded = [v for v in others if v is not None]
    busiest_other = max(recorded) if recorded else None
    dates = sorted(run["date"] for pair in runs.values() for run in pair)

    out = ["# Benchmark results: ours (TorchSharp) against PyTorch", ""]
    out.append("Generated by `bench/compare.sh` (through `bench/make_results.py`) from the JSON "
               "in `bench/results/`. Do not edit: re-run the script.")
    out.append("")
    problems = []
    if before > QUIET_LOAD:
        problems.append(f"the one-minute load average was {before:.2f} when the first run "
                        f"started (quiet is below {QUIET_LOAD})")
    if busiest_other is not None and busiest_other > QUIET_OTHER_PCT:
        problems.append(f"other processes took up to {busiest_other:.0f}% of the machine's CPU "
                        f"time during a run (quiet is below {QUIET_OTHER_PCT:.0f}%)")
    if problems:
        out.append(f"> **PRELIMINARY.** The machine was shared: {'; '.join(problems)}. Timings "
                   "and ratios are noisy; re-measure on a quiet machine before drawing "
                   "conclusions.")
        out.append("")
    if busiest_other is None or len(recorded) < len(others):
        out.append(f"> The load average was {before:.2f} when the first run started. The CPU "
                   "time other processes took during the runs was not recorded for every run, "
                   "so a neighbour that started later would not show here.")
        out.append("")
    short = [p for p, (ours, _) in runs.items()
             if ours["repeats"] < 3
             or ours["presets"][p]["memory_run"]["steps"] < MEMORY_STEPS.get(p, 100)]
    if short:
        out.append(f"> **SMOKE SETTINGS** for {', '.join(short)}: fewer than 3 samples per number "
                   "or a shortened memory run. These numbers only show that the pipeline works.")
        out.append("")
    backend = first_torch["backend"]
    out += [
        "## Setup",
        "",
        f"- Measured: {dates[0]} to {dates[-1]} (UTC).",
        f"- Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['vector_unit']}, "
        f"{machine['os']}.",
        f"- Peak single precision: {machine['peak_formula']}.",
        f"- Threads: {first_ours['threads']} (ours) and {first_torch['threads']} (PyTorch); "
        f"OMP_WAIT_POLICY={backend.get('omp_wait_policy')}.",
        f"- Ours: TorchSharp {machine['torchsharp']} (libtorch 2.10), {machine['runtime']}, "
        "Release build.",
        f"- PyTorch {first_torch['torch']} (Python {first_torch['python']}), BLAS "
        f"{', '.join(os.path.basename(p) for p in backend['blas_libraries'])}, OpenMP "
        f"{', '.join(os.path.basename(p) for p in backend['openmp_libraries'])}, oneDNN "
        f"{'on' if backend['mkldnn'] else 'off'}.",
        f"- Timing: {first_ours['repeats']} samples per number after warm-up, each at least "
        f"{first_ours['sample_seconds']} s; medians with [min–max]. Training batch "
        f"{first_ours['train_batch']} of random images at the preset's size; G and E in eval "
        "mode under inference mode, one dispose scope per batch.",
        "- Ratios are ours ÷ PyTorch: below 1 is faster for times, above 1 is faster for "
        "images/s.",
        "",
        "## Targets",
        "",
        "| preset | target | measured | verdict |",
        "|---|---|---|---|",
    ]
    for preset, (ours, torch) in runs.items():
        o, t = ours["presets"][preset], torch["presets"][preset]
        out += [f"| {' | '.join(row)} |" for row in target_rows(preset, o, t)]
    out.append("")

    for preset, (ours, torch) in runs.items():
        o, t = ours["presets"][preset], torch["presets"][preset]
        out += [f"## {preset} ({o['size']}×{o['size']} px)", ""]
        out += preset_table(o, t, peak)
        out += ["", params_line(o, t), ""]
        memory = o["memory_run"]
        samples = ", ".join(f"{s}: {mb:.0f}" for s, mb in
                            zip(memory["sampled_steps"], memory["rss_mb"]))
        out += [f"Resident memory by step (MB), baseline at step {memory['warmup_step']}: "
                f"{samples}.", ""]

    out += changes_table(args.results, presets)
    out += ["## Load during the runs", "",
            "The load average counts the benchmark's own threads too (libtorch's, the loader's), "
            "so it rises to 2-4 during a run on an otherwise idle machine; the CPU share other "
            "processes took is the cleaner sign of a neighbour.", "",
            "| preset | side | load average (1 min) at start | at end | others' CPU share |",
            "|---|---|---|---|---|"]
    for (p, side, start, end), other in zip(loads, others):
        share = "not recorded" if other is None else f"{other:.1f}%"
        out.append(f"| {p} | {side} | {start:.2f} | {end:.2f} | {share} |")
    out += ["", "## Raw numbers", "",
            "Every sample of every measure is in `bench/results/ours-PRESET.json` and "
            "`bench/results/pytorch-PRESET.json`.", ""]
    for preset, (ours, torch) in runs.items():
        o, t = ours["presets"][preset], torch["presets"][preset]
        for side, run in (("ours", o), ("PyTorch", t)):
            for key in ("train_step_s", "g_images_per_s_b1", "g_images_per_s_b8",
                        "e_images_per_s"):
                values = ", ".join(fmt(v) for v in run[key + "_spread"]["samples"])
                out.append(f"- {preset}, {side}, {key}: {values}")
    out.append("")

    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(out))
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
