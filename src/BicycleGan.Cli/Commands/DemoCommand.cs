using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

internal sealed class DemoCommand : ICommand
{
    public string Name => "demo";

    public string Summary => "from nothing: make shapes data, train small-64, sample, write a results page";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan demo [--out DIR] [--minutes M] [--steps N] [--overwrite]

        Makes the built-in shapes data (outlines → filled shapes, 12 possible fillings per outline),
        trains the small-64 preset on it, and samples several fillings per outline into
        DIR/results/index.html. Training stops after --steps or --minutes, whichever comes first,
        so the demo ends in under 10 minutes on 2 cores; a faster machine trains more steps.

          --out DIR      where everything goes (default runs/demo)
          --minutes 7    wall-clock budget for training
          --steps 4000   most training steps
          --overwrite    replace an earlier demo in DIR
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string outDir = line.Get("out") ?? Path.Combine("runs", "demo");
        int steps = line.Int("steps", 4000);
        int minutes = line.Int("minutes", 7);
        bool overwrite = line.Switch("overwrite");
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan demo --help'.");

        var options = Presets.Get(Presets.Small64) with { };
        options = options with { Train = options.Train with { MaxSteps = steps } };
        var folder = new RunFolder(outDir);
        // The time budget stops training like Ctrl+C does (a checkpoint is written), then the demo goes on.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        budget.CancelAfter(TimeSpan.FromMinutes(Math.Max(1, minutes)));
        TrainCommand.Train(options.Validate(), "builtin:shapes", folder, resume: false, overwrite: overwrite,
            line.Verbose, budget.Token, quiet: true);
        if (cancel.IsCancellationRequested) return 130;

        // Held-out outlines, each with the same six codes, so a column is one z across rows.
        using var model = TrainingCheckpoint.LoadForInference(folder.Root);
        var validation = DatasetFactory.Open("builtin:shapes", options.Data with { Phase = "val" }, options.Train.Seed);
        var sampling = new SamplingOptions { Inputs = 8, Samples = 6, Sync = true, Seed = 1 };
        string results = Path.Combine(folder.Root, "results");
        var page = SamplePage.Write(model, validation, sampling, results, "BicycleGAN demo: one outline, many fillings",
            cancellationToken: cancel);
        Console.WriteLine($"Done. Each row of {page.IndexPath} is one outline the model never saw in training;");
        Console.WriteLine("each column uses one random code z: different codes give different fillings.");
        return 0;
    }
}
