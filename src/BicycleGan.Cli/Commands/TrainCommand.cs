using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

internal sealed class TrainCommand : ICommand
{
    public string Name => "train";

    public string Summary => "train a model on paired images or built-in data";

    public void WriteHelp(TextWriter output)
    {
        output.WriteLine("""
            Usage: bicyclegan train --data DIR|builtin:NAME --out RUN [--preset NAME] [--config FILE.json]
                                    [--resume] [--overwrite] [options…]

            Trains BicycleGAN (or an ablation, --model) and writes a run folder: options.json, losses.csv,
            checkpoints/latest and checkpoints/epoch_NNN. Options come from the preset, then the config file,
            then the flags. Ctrl+C saves the latest checkpoint and exits; --resume continues exactly.

              --data DIR|builtin:NAME    a dataset root (train/ split) or builtin:shapes, builtin:fashion-edges
              --out RUN                  the run folder
              --preset NAME              official-256 (default), official-128, seed-64, small-64
              --config FILE.json         options as JSON, e.g. {"model": {"ngf": 32}}
              --resume                   continue the run in --out from its latest checkpoint
              --overwrite                replace a run already in --out
              --verbose                  debug messages and stack traces

            Options and their defaults (official-256; other presets change some):
            """);
        RunOptionsFromCommandLine.WriteOptionTable(output, Presets.Get(Presets.Official256));
    }

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string data = line.Require("data", "the dataset to train on (a folder, or builtin:shapes)");
        var folder = new RunFolder(line.Require("out", "the run folder to write"));
        bool resume = line.Switch("resume");
        bool overwrite = line.Switch("overwrite");
        var options = RunOptionsFromCommandLine.Resolve(line, resume ? folder : null);
        return Train(options, data, folder, resume, overwrite, line.Verbose, cancel).Cancelled ? 130 : 0;
    }

    /// <summary>Runs training with console progress; shared with the demo.</summary>
    /// <param name="quiet">Say nothing about how to continue a stopped run (the demo stops on a time budget).</param>
    public static TrainingRun.Result Train(RunOptions options, string data, RunFolder folder, bool resume,
        bool overwrite, bool verbose, CancellationToken cancel, bool quiet = false)
    {
        var ui = new ConsoleUi { Verbose = verbose };
        var changed = RunOptionsFromCommandLine.Differences(options).ToList();
        Console.WriteLine($"Training {OptionsJson.Token(options.Train.Variant)} (preset {options.Preset}) on {data} " +
                          $"into {folder.Root}");
        if (changed.Count > 0) Console.WriteLine($"  options changed from the preset: {string.Join(" ", changed)}");
        var dataset = DatasetFactory.Open(data, options.Data with { Phase = "train" }, options.Train.Seed);
        Console.WriteLine($"  {dataset.Count} training pairs, batch {options.Train.BatchSize}, " +
                          $"{options.Train.Epochs} epochs" +
                          (options.Train.MaxSteps > 0 ? $", at most {options.Train.MaxSteps} steps" : ""));
        var report = new TrainingReport(folder, options.Train, DisplayInputs(data, options, dataset));
        TrainingRun.Result result;
        try
        {
            result = new TrainingRun(options, folder, ui, new TrainingObservers(ui, report))
                .Run(dataset, resume, overwrite, cancel);
        }
        finally
        {
            ui.Finish();
        }
        Console.WriteLine(result.Cancelled && !quiet
            ? $"Stopped at step {result.Steps}. Continue with: " +
              $"bicyclegan train --data {data} --out {folder.Root} --resume"
            : $"Trained {result.Steps} steps. Latest checkpoint: {result.LatestCheckpoint}");
        if (result.SkippedSteps > 0)
            Console.WriteLine($"Skipped {result.SkippedSteps} steps with a non-finite loss (--skip-nonfinite); " +
                              "no network was updated by them.");
        return result;
    }

    /// <summary>The held-out split for the sample page when there is one, else the training data.</summary>
    private static IPairedDataset DisplayInputs(string data, RunOptions options, IPairedDataset training)
    {
        try
        {
            return DatasetFactory.Open(data, options.Data with { Phase = "val" }, options.Train.Seed);
        }
        catch (DatasetException)
        {
            return training;
        }
    }
}
