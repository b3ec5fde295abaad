using System.Diagnostics;
using System.Globalization;
using BicycleGan.Checkpoints;
using BicycleGan.Cli.Commands;
using BicycleGan.Data;
using BicycleGan.Evaluation;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Training;

namespace BicycleGan.Cli.Experiments;

/// <summary>
/// The paper's ablation, rerunnable: trains every arm on the built-in shapes at one budget,
/// evaluates each with the same protocol and seed, and writes EVALUATION.md. An interrupted
/// experiment continues where it stopped: finished arms are only evaluated again, and a
/// stopped one resumes from its latest checkpoint.
/// </summary>
internal sealed class AblationExperiment(AblationSettings settings, bool overwrite, bool verbose)
{
    /// <summary>What one arm gave.</summary>
    public sealed record Outcome(AblationArm Arm, EvaluationResult Result, double TrainSeconds,
        double EvaluationSeconds, string Grid);

    private string ManifestFile => Path.Combine(settings.Out, "experiment.txt");

    /// <summary>Runs every arm; null when cancelled (rerun the same command to continue).</summary>
    public IReadOnlyList<Outcome>? Run(CancellationToken cancel)
    {
        CheckManifest();
        var started = DateTimeOffset.UtcNow;
        var outcomes = new List<Outcome>();
        foreach (var arm in settings.Arms)
        {
            Console.WriteLine($"== {arm.Label} ({outcomes.Count + 1} of {settings.Arms.Count})");
            double? trained = Train(arm, cancel);
            if (trained is null) return null;
            var clock = Stopwatch.StartNew();
            var protocol = new EvaluationOptions
            {
                Inputs = settings.Inputs, Samples = settings.Samples, Seed = settings.Seed,
                GridInputs = AblationSettings.GridInputs,
            };
            string folder = Path.Combine(settings.Out, "evaluations", arm.Name);
            var (result, page) = EvaluateCommand.Evaluate(RunOf(arm).Root, AblationSettings.Data, folder,
                protocol, lpips: null);
            EvaluateCommand.WriteSummary(result, page);
            outcomes.Add(new Outcome(arm, result, trained.Value, clock.Elapsed.TotalSeconds, SaveGrid(arm, result)));
        }
        string path = AblationReport.Write(settings, outcomes, started, DateTimeOffset.UtcNow);
        Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
        return outcomes;
    }

    private RunFolder RunOf(AblationArm arm) => new(Path.Combine(settings.Out, arm.Name));

    /// <summary>
    /// Trains the arm up to the budget and returns its training time in all (earlier sessions
    /// included); null when cancelled.
    /// </summary>
    private double? Train(AblationArm arm, CancellationToken cancel)
    {
        var folder = RunOf(arm);
        string timeFile = Path.Combine(folder.Root, "experiment-seconds.txt");
        // Training time of earlier sessions; an unreadable record counts as none.
        double earlier = 0;
        if (!overwrite && File.Exists(timeFile))
            _ = double.TryParse(File.ReadAllText(timeFile), CultureInfo.InvariantCulture, out earlier);
        if (!overwrite && StepsDone(folder) >= settings.Steps)
        {
            Console.WriteLine($"  already trained {settings.Steps} steps in {folder.Root}; evaluating it again");
            return earlier;
        }
        var options = arm.Options(settings.Preset, settings.Steps, settings.Seed).Validate();
        var clock = Stopwatch.StartNew();
        var result = TrainCommand.Train(options, AblationSettings.Data, folder, resume: !overwrite && folder.HoldsRun,
            overwrite, verbose, cancel, quiet: true);
        double total = earlier + clock.Elapsed.TotalSeconds;
        AtomicFile.WriteAllBytes(timeFile,
            System.Text.Encoding.UTF8.GetBytes(total.ToString("F1", CultureInfo.InvariantCulture)));
        if (!result.Cancelled) return total;
        Console.WriteLine($"Stopped. Continue the experiment with: {settings.Command}");
        return null;
    }

    private static long StepsDone(RunFolder folder) =>
        TrainingCheckpoint.Find(folder.Latest) is { } latest ? TrainingCheckpoint.ReadState(latest).Step : 0;

    /// <summary>
    /// Refuses a folder whose arms were trained with other settings (their runs would resume
    /// into a mixed budget); records the settings otherwise.
    /// </summary>
    private void CheckManifest()
    {
        Directory.CreateDirectory(settings.Out);
        if (!overwrite && File.Exists(ManifestFile))
        {
            string earlier = File.ReadAllText(ManifestFile).Trim();
            if (earlier != settings.Fingerprint)
            {
                throw new InvalidOperationException($"Folder '{settings.Out}' holds an experiment trained "
                    + $"with {earlier}, not {settings.Fingerprint}. Use those settings to continue it, "
                    + "--overwrite to retrain every arm, or another --out folder.");
            }
        }
        AtomicFile.WriteAllBytes(ManifestFile, System.Text.Encoding.UTF8.GetBytes(settings.Fingerprint + "\n"));
    }

    /// <summary>Input, ground truth and the first random samples of the first inputs, one row each.</summary>
    private string SaveGrid(AblationArm arm, EvaluationResult result)
    {
        int shown = Math.Min(EvaluationReport.GridSamples, settings.Samples);
        var rows = result.Examples
            .Select(set => (IReadOnlyList<HostImage>)
                [set.Input, .. set.GroundTruth is null ? [] : new[] { set.GroundTruth }, .. set.Samples.Take(shown)])
            .ToList();
        string file = Path.Combine(settings.Report, AblationReport.ImagesFolder, $"{arm.Name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.WriteAllBytes(file, ImageCodec.EncodePng(Strip.Grid(rows, gap: 2)));
        return file;
    }
}
