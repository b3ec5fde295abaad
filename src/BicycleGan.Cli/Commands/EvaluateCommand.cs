using System.Globalization;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Evaluation;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

internal sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";

    public string Summary => "score a model: diversity, LPIPS, reconstruction, NDB/JSD, modes";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan evaluate --model RUN --data DIR|builtin:NAME --out DIR [--samples 20]
                                   [--inputs 100] [--lpips-weights FILE [FILE]] [--seed S]

        Samples S random outputs per input for the first N inputs of a split and writes
        DIR/metrics.json (every number, the settings and the seed) and DIR/report.html (each metric
        with its definition, and a grid of samples). The same seed gives the same metrics.json.

          --model RUN            a run folder (its latest checkpoint) or a checkpoint folder
          --data DIR|builtin:N   the dataset; for builtin data the run's seed picks the same scenes
          --out DIR              where metrics.json, report.html and images/ go
          --phase NAME           split to evaluate (default test)
          --samples S            random samples per input (default 20, as the paper)
          --inputs N             inputs from the start of the split (default 100, as the paper)
          --seed S               seed of the random codes and of k-means (default 0)
          --ndb-bins K           k-means bins for NDB (default 20; at most the number of inputs)
          --lpips-weights FILE   LPIPS (AlexNet) weights as PyTorch .pth state dicts: torchvision's
                                 alexnet file (features.N.*) and an LPIPS head file (lin0.model.1.*,
                                 e.g. the lpips package's weights/v0.1/alex.pth), as two files
                                 (space- or comma-separated) or one file holding both. Without it,
                                 diversity is measured in L1 only.
          --lpips-version V      0.0 or 0.1; by default read from the head file's path (v0.0, v0.1).
                                 The paper used 0.0.
          --preprocess MODE      how images are shaped (default none: as stored, so shapes masks
                                 line up); the run's other data options are kept
          --threads N            libtorch threads (default: one per core)
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string modelPath = line.Require("model", "the run or checkpoint folder to evaluate");
        string data = line.Require("data", "the dataset to evaluate on (a folder or builtin:NAME)");
        string outDir = line.Require("out", "the folder for metrics.json and report.html");
        var options = ReadOptions(line);
        var lpipsFiles = LpipsFiles(line);
        LpipsVersion? version = ParseVersion(line.Get("lpips-version"));
        string phase = line.Get("phase") ?? "test";
        string? preprocess = line.Get("preprocess");
        int threads = line.Int("threads", 0);
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
        {
            throw new UsageException(
                $"Unknown option --{unknown}. See 'bicyclegan evaluate --help'.");
        }
        if (version is not null && lpipsFiles.Count == 0)
            throw new UsageException("Option --lpips-version needs --lpips-weights.");

        TorchRuntime.Initialize(threads);
        // The weights first: a wrong file should fail before anything slow has started.
        using var lpips = lpipsFiles.Count > 0 ? Lpips.Load(lpipsFiles, version) : null;
        var (result, page) = Evaluate(modelPath, data, outDir, options, lpips, phase, preprocess);
        WriteSummary(result, page);
        return 0;
    }

    /// <summary>
    /// Evaluates the model at <paramref name="modelPath"/> on a split of <paramref name="data"/>
    /// and writes metrics.json and report.html into <paramref name="outDir"/>; shared with the
    /// ablation experiment, so its numbers are exactly what <c>evaluate</c> prints.
    /// </summary>
    /// <returns>The result and the report page's path.</returns>
    public static (EvaluationResult Result, string Page) Evaluate(string modelPath, string data,
        string outDir, EvaluationOptions options, Lpips? lpips, string phase = "test",
        string? preprocess = null)
    {
        using var model = TrainingCheckpoint.LoadForInference(modelPath);
        var run = RunOptionsOf(modelPath);
        var dataOptions = DataOptionsFor(run, model.Options, phase, preprocess);
        var dataset = DatasetFactory.Open(data, dataOptions, run?.Train.Seed ?? 0);
        var scenes = Evaluator.FindScenes(dataset, data, dataOptions);

        int total = Math.Min(options.Inputs, dataset.Count);
        Console.WriteLine($"Evaluating {modelPath} on {data} ({phase}): {total} inputs × "
            + $"{options.Samples} samples, seed {options.Seed}");
        var progress = new Progress(total);
        var result = new Evaluator(model, options, lpips).Run(dataset, scenes, progress);

        Directory.CreateDirectory(outDir);
        var context = new Dictionary<string, string?>
        {
            ["model"] = modelPath, ["data"] = data, ["phase"] = phase,
        };
        AtomicFile.WriteAllBytes(Path.Combine(outDir, "metrics.json"),
            System.Text.Encoding.UTF8.GetBytes(result.ToJson(context)));
        return (result, EvaluationReport.Write(result, outDir, context));
    }

    private static EvaluationOptions ReadOptions(CommandLine line)
    {
        var defaults = new EvaluationOptions();
        string? seedText = line.Get("seed");
        long seed = 0;
        bool valid = seedText is null
            || long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed);
        if (!valid) throw new UsageException($"Option --seed takes a whole number, not '{seedText}'.");
        return new EvaluationOptions
        {
            Samples = line.Int("samples", defaults.Samples),
            Inputs = line.Int("inputs", defaults.Inputs),
            NdbBins = line.Int("ndb-bins", defaults.NdbBins),
            Seed = seed,
        }.Validate();
    }

    /// <summary>The --lpips-weights value (comma-separated) and any words after it.</summary>
    private static List<string> LpipsFiles(CommandLine line)
    {
        var files = new List<string>();
        if (line.Get("lpips-weights") is { } value)
        {
            if (value == "true") throw new UsageException("Option --lpips-weights needs a file.");
            var split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
            files.AddRange(value.Split(',', split));
            files.AddRange(line.Positional);
        }
        else if (line.Positional.Count > 0)
        {
            throw new UsageException($"'{line.Positional[0]}' is not an option of evaluate; "
                + "options start with two dashes.");
        }
        if (files.Count > 2)
        {
            throw new UsageException(
                $"Option --lpips-weights takes one or two files, not {files.Count}.");
        }
        return files;
    }

    private static LpipsVersion? ParseVersion(string? text) => text switch
    {
        null => null,
        "0.0" or "v0.0" => LpipsVersion.V0_0,
        "0.1" or "v0.1" => LpipsVersion.V0_1,
        _ => throw new UsageException($"Option --lpips-version takes 0.0 or 0.1, not '{text}'."),
    };

    /// <summary>options.json of the run the model folder belongs to, or null.</summary>
    private static RunOptions? RunOptionsOf(string modelPath)
    {
        // A run folder holds options.json; a checkpoint folder sits two levels below it.
        foreach (string folder in new[] { modelPath, Path.Combine(modelPath, "..", "..") })
        {
            var run = new RunFolder(folder);
            if (run.HoldsRun) return run.ReadOptions();
        }
        return null;
    }

    private static DataOptions DataOptionsFor(RunOptions? run, ModelOptions model, string phase,
        string? preprocess)
    {
        var data = (run?.Data ?? new DataOptions()) with
        {
            Phase = phase,
            Workers = 0,
            InputChannels = model.InputChannels,
            OutputChannels = model.OutputChannels,
            SizeMultiple = model.SizeMultiple,
            Preprocess = PreprocessMode.None,
        };
        if (preprocess is not null)
        {
            KeyValuePair<string, string>[] flag = [new("preprocess", preprocess)];
            data = OptionsJson.ApplyFlags(new RunOptions { Data = data }, flag).Data;
        }
        return data.Validate();
    }

    internal static void WriteSummary(EvaluationResult r, string page)
    {
        static string F(double? v) =>
            v is null ? "–" : v.Value.ToString("0.####", CultureInfo.InvariantCulture);
        Console.WriteLine($"  diversity L1 {F(r.DiversityL1)}, LPIPS {F(r.DiversityLpips)}");
        Console.WriteLine($"  reconstruction L1 {F(r.ReconstructionL1)}, "
            + $"PSNR {F(r.ReconstructionPsnr)} dB, SSIM {F(r.ReconstructionSsim)}; "
            + $"latent recovery {F(r.LatentRecoveryL1)}");
        if (r.Ndb is { } ndb)
            Console.WriteLine($"  NDB {ndb.DifferentBins}/{ndb.Bins}, JSD {F(ndb.Jsd)}");
        if (r.ModeCoverage is not null)
            Console.WriteLine($"  mode coverage {F(r.ModeCoverage)}, precision {F(r.ModePrecision)}");
        foreach (var (metric, reason) in r.Skipped)
            Console.WriteLine($"  skipped {metric}: {reason}");
        Console.WriteLine($"Wrote {Path.GetFullPath(page)} and metrics.json");
    }

    /// <summary>Prints a line at every tenth of the inputs.</summary>
    private sealed class Progress(int total) : IProgress<int>
    {
        private int _shownTenths;

        public void Report(int value)
        {
            int tenths = total == 0 ? 10 : value * 10 / total;
            if (tenths <= _shownTenths) return;
            _shownTenths = tenths;
            Console.WriteLine($"  {value}/{total} inputs");
        }
    }
}
