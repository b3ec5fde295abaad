using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BicycleGan.Cli.Bench;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Cli.Commands;

/// <summary>
/// <c>bicyclegan bench</c>: training-step time, inference and loader throughput, peak memory and
/// native-memory growth per preset, written as JSON (read by bench/compare.sh) and as a table.
/// </summary>
internal sealed class BenchCommand : ICommand
{
    private const int TrainBatch = BenchSettings.TrainBatch, Small = BenchSettings.SmallBatch,
        Large = BenchSettings.LargeBatch, Workers = BenchSettings.LoaderWorkers;

    private static readonly string[] DefaultPresets =
        [Presets.Small64, Presets.Official128, Presets.Official256];

    private static int Cores => Environment.ProcessorCount;

    public string Name => "bench";

    public string Summary => "measure training, inference and loader speed and memory per preset";

    public void WriteHelp(TextWriter output) => output.WriteLine($"""
        Usage: bicyclegan bench --out FILE.json [--preset NAME[,NAME…]] [--threads N]
                                [--steps N] [--repeats N] [--sample-seconds S]

        Per preset, after warm-up: a full training step (batch {TrainBatch}, all four networks,
        random images at the preset's crop size); G images/s at batch {Small} and {Large} and E
        images/s at batch {Large} (eval mode, no autograd); loader images/s ({Workers} workers
        decoding built-in shapes written as PNG); G's achieved GFLOP/s against the machine's
        peak; peak resident memory; and a long training run on loader batches for native-memory
        growth, live tensors and data waiting. Timings are medians over the repeats, with min,
        max and quartiles. On a busy machine they mean little: the load average is recorded.

          --out FILE.json       where to write the results (the table goes to the console)
          --preset NAME         presets to measure (default {string.Join(",", DefaultPresets)})
          --threads N           libtorch threads (default one per core: {Cores} here)
          --steps N             steps of small-64's memory run; larger presets run a tenth, at
                                least 20 (default 1000: baseline at step N/10, a sample every N/20)
          --repeats N           timing samples per number (default 5)
          --sample-seconds S    each sample repeats its work for at least S seconds (default 1)
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string outPath = line.Require("out", "the JSON file to write the results to");
        var settings = ReadSettings(line);
        TorchRuntime.Initialize(settings.Threads);
        var machine = MachineInfo.Read();
        var start = MachineInfo.LoadAverage();
        var report = new BenchReport(settings, machine, DateTimeOffset.UtcNow, start);
        var neighbours = new NeighbourCpu();
        static void Progress(string message) => Console.Error.WriteLine($"bench {message}");
        Progress($"{string.Join(", ", settings.Presets)} with {get_num_threads()} threads; " +
                 $"load average {string.Join(" ", start)}");
        foreach (string preset in settings.Presets)
        {
            if (cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine("bicyclegan bench: stopped; nothing was written.");
                return 130;
            }
            report.Add(new PresetBenchmark(preset, settings, Progress).Run());
        }

        double? others = neighbours.OtherPct();
        var json = report.ToJson(get_num_threads(), MachineInfo.LoadAverage(), others);
        // Relaxed escaping keeps "×" and "+" readable; the file is never embedded in HTML.
        var format = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        WriteAtomically(outPath, json.ToJsonString(format));
        report.WriteTable(Console.Out);
        if (others is { } share)
            Console.WriteLine($"Other processes took {share:F1}% of the machine's CPU meanwhile.");
        Console.WriteLine($"Wrote {Path.GetFullPath(outPath)}");
        return 0;
    }

    private static BenchSettings ReadSettings(CommandLine line)
    {
        // Both --preset a,b and --preset a b work: later names arrive as positional words.
        var split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        var presets = (line.Get("preset")?.Split(',', split) ?? [])
            .Concat(line.Positional).ToList();
        if (presets.Count == 0) presets.AddRange(DefaultPresets);
        foreach (string preset in presets) _ = Presets.Get(preset);
        int threads = line.Int("threads", 0);
        int steps = line.Int("steps", 1000);
        int repeats = line.Int("repeats", 5);
        double seconds = Seconds(line.Get("sample-seconds") ?? "1");
        if (steps < 20)
        {
            throw new UsageException("Option --steps must be at least 20, so that the memory run " +
                                     $"has a warm-up and samples after it, not {steps}.");
        }
        if (repeats < 1) throw new UsageException("Option --repeats must be at least 1, not 0.");
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan bench --help'.");
        return new BenchSettings(presets, threads > 0 ? threads : Environment.ProcessorCount, steps,
            repeats, seconds);
    }

    private static double Seconds(string text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0
            ? seconds
            : throw new UsageException(
                $"Option --sample-seconds takes a number of seconds ≥ 0, not '{text}'.");

    /// <summary>Writes beside the target, then renames: a stop never leaves half a file.</summary>
    private static void WriteAtomically(string path, string text)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        File.WriteAllText(temporary, text + "\n");
        File.Move(temporary, full, overwrite: true);
    }
}
