using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BicycleGan.Options;

namespace BicycleGan.Cli.Bench;

/// <summary>
/// The results of one bench run as JSON (snake_case keys, medians at the top of each preset and
/// their spreads beside them, so scripts compare runs without parsing tables) and as a table.
/// </summary>
internal sealed class BenchReport
{
    private readonly BenchSettings _settings;
    private readonly MachineInfo _machine;
    private readonly DateTimeOffset _date;
    private readonly double[] _loadAtStart;
    private readonly List<PresetResult> _presets = [];

    public BenchReport(BenchSettings settings, MachineInfo machine, DateTimeOffset date,
        double[] loadAtStart)
    {
        _settings = settings;
        _machine = machine;
        _date = date;
        _loadAtStart = loadAtStart;
    }

    public void Add(PresetResult result) => _presets.Add(result);

    public JsonObject ToJson(int threads, double[] loadAtEnd, double? otherCpuPct)
    {
        var presets = new JsonObject();
        foreach (var p in _presets) presets[p.Preset] = PresetJson(p, threads);
        return new JsonObject
        {
            ["tool"] = "bicyclegan bench",
            ["date"] = _date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'",
                CultureInfo.InvariantCulture),
            ["threads"] = threads,
            ["repeats"] = _settings.Repeats,
            ["sample_seconds"] = _settings.SampleSeconds,
            ["train_batch"] = BenchSettings.TrainBatch,
            ["loader_workers"] = BenchSettings.LoaderWorkers,
            ["machine"] = MachineJson(),
            ["load_average_start"] = new JsonArray(_loadAtStart.Select(v => (JsonNode)v).ToArray()),
            ["load_average_end"] = new JsonArray(loadAtEnd.Select(v => (JsonNode)v).ToArray()),
            ["other_cpu_pct"] = otherCpuPct,
            ["presets"] = presets,
        };
    }

    /// <summary>One row per preset: medians, with the timings' min–max in brackets.</summary>
    public void WriteTable(TextWriter output)
    {
        output.WriteLine($"Machine: {_machine.CpuModel}; peak {_machine.PeakFormula}");
        output.WriteLine($"Threads {_settings.Threads}, {_settings.Repeats} samples per number; " +
                         "medians [min–max]; images/s count images, not batches.");
        output.WriteLine();
        string[] heads = ["preset", "train step s", "G img/s b1", "G img/s b8", "E img/s b8",
            "loader img/s", "wait %", "peak MB", "growth %", "G GFLOP/s"];
        var rows = _presets.Select(p => new[]
        {
            p.Preset, Cell(p.TrainStepSeconds, "F3"), Cell(p.GImagesB1, "F1"),
            Cell(p.GImagesB8, "F1"), Cell(p.EImages, "F1"), Cell(p.LoaderImages, "F0"),
            Number(p.LongRun.DataWaitPct, "F2"), Number(p.PeakRssMb, "F0"),
            Number(p.LongRun.GrowthPct, "F2"), Number(p.GGflops.Median, "F2"),
        }).ToList();
        int[] widths = heads.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max())
            .ToArray();
        foreach (var row in rows.Prepend(heads))
        {
            var cells = row.Select((cell, i) => cell.PadRight(widths[i]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
        output.WriteLine();
        foreach (var p in _presets)
        {
            var run = p.LongRun;
            output.WriteLine($"{p.Preset}: G {p.GFlopsPerImage / 1e9:F3} GFLOP per image, " +
                             $"{p.GGflops.Median / _machine.PeakGflops:P1} of peak at batch 8; " +
                             $"memory run of {run.Steps} steps: live tensors " +
                             $"{run.LiveTensorsAtWarmup} at step {run.WarmupStep}, " +
                             $"{run.LiveTensorsAtEnd} at the end.");
        }
    }

    private JsonObject MachineJson() => new()
    {
        ["cpu_model"] = _machine.CpuModel,
        ["cores"] = _machine.Cores,
        ["mhz"] = Math.Round(_machine.Mhz, 1),
        ["vector_unit"] = _machine.VectorUnit,
        ["flops_per_cycle"] = _machine.FlopsPerCycle,
        ["peak_gflops"] = Math.Round(_machine.PeakGflops, 2),
        ["peak_formula"] = _machine.PeakFormula,
        ["os"] = _machine.Os,
        ["runtime"] = _machine.Runtime,
        ["torchsharp"] = _machine.TorchSharp,
    };

    private JsonObject PresetJson(PresetResult p, int threads)
    {
        var run = p.LongRun;
        var json = new JsonObject
        {
            ["preset"] = p.Preset,
            ["size"] = p.Size,
            ["threads"] = threads,
            ["train_batch"] = BenchSettings.TrainBatch,
        };
        AddSpread(json, "train_step_s", p.TrainStepSeconds);
        AddSpread(json, "g_images_per_s_b1", p.GImagesB1);
        AddSpread(json, "g_images_per_s_b8", p.GImagesB8);
        AddSpread(json, "e_images_per_s", p.EImages);
        AddSpread(json, "loader_images_per_s", p.LoaderImages);
        json["data_wait_pct"] = run.DataWaitPct;
        json["fed_step_s"] = run.FedStepSeconds;
        json["peak_rss_mb"] = Math.Round(p.PeakRssMb, 1);
        json["peak_rss_is_per_preset"] = p.PeakRssIsPerPreset;
        json["native_growth_pct"] = run.GrowthPct;
        json["live_tensors_at_warmup"] = run.LiveTensorsAtWarmup;
        json["live_tensors_at_end"] = run.LiveTensorsAtEnd;
        json["memory_run"] = new JsonObject
        {
            ["steps"] = run.Steps,
            ["warmup_step"] = run.WarmupStep,
            ["sampled_steps"] = new JsonArray(run.RssMb.Select(s => (JsonNode)s.Step).ToArray()),
            ["rss_mb"] = new JsonArray(
                run.RssMb.Select(s => (JsonNode)Math.Round(s.Mb, 1)).ToArray()),
        };
        json["g_flops_per_image"] = p.GFlopsPerImage;
        AddSpread(json, "g_gflops", p.GGflops);
        json["g_gflops_b1"] = p.GGflopsB1.Median;
        json["peak_gflops"] = Math.Round(_machine.PeakGflops, 2);
        json["g_pct_of_peak"] = p.GGflops.Median / _machine.PeakGflops * 100;
        json["other_cpu_pct"] = p.OtherCpuPct;
        json["parameters"] = new JsonObject(p.Parameters.Select(kv =>
            KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        json["model"] = JsonSerializer.SerializeToNode(p.Model, OptionsJson.Settings);
        return json;
    }

    private static void AddSpread(JsonObject json, string key, Spread spread)
    {
        json[key] = spread.Median;
        json[key + "_spread"] = new JsonObject
        {
            ["min"] = spread.Min,
            ["q1"] = spread.Q1,
            ["q3"] = spread.Q3,
            ["max"] = spread.Max,
            ["samples"] = new JsonArray(spread.Samples.Select(v => (JsonNode)v).ToArray()),
        };
    }

    private static string Cell(Spread s, string format) =>
        $"{Number(s.Median, format)} [{Number(s.Min, format)}–{Number(s.Max, format)}]";

    private static string Number(double value, string format) =>
        value.ToString(format, CultureInfo.InvariantCulture);
}
