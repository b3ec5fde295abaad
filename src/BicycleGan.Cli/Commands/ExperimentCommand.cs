using BicycleGan.Cli.Experiments;
using BicycleGan.Options;

namespace BicycleGan.Cli.Commands;

internal sealed class ExperimentCommand : ICommand
{
    public string Name => "experiment";

    public string Summary => "the paper's ablation on built-in shapes: train, evaluate, write EVALUATION.md";

    public void WriteHelp(TextWriter output) => output.WriteLine($"""
        Usage: bicyclegan experiment [--out DIR] [--report DIR] [--steps N] [--preset NAME]
                                     [--arms A,B,…] [--overwrite]

        Trains each arm of the paper's ablation on builtin:shapes with one budget (same preset,
        steps and seed), evaluates each on the held-out test outlines with one protocol, and
        writes EVALUATION.md (table, verdicts, sample grids, commands, machine, time) with its
        images under evaluation/. Stopped with Ctrl+C, the same command continues where it left.
        Arms: {string.Join(", ", AblationArm.All.Select(a => a.Name))}.

          --out DIR        runs and evaluations (default runs/ablation)
          --report DIR     where EVALUATION.md goes (default: --out)
          --steps 5000     training steps of every arm (small-64's whole schedule: 20 epochs)
          --preset NAME    small-64 (default) or any preset
          --seed 0         seed of training and of the evaluation
          --inputs 100     held-out outlines evaluated
          --samples 20     random codes per outline
          --arms LIST      a subset of the arms, comma-separated (default all)
          --overwrite      retrain every arm instead of continuing
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string outDir = line.Get("out") ?? Path.Combine("runs", "ablation");
        string preset = line.Get("preset") ?? Presets.Small64;
        var settings = new AblationSettings(outDir, line.Get("report") ?? outDir, preset,
            line.Int("steps", 5000), line.Int("seed", 0), line.Int("inputs", 100), line.Int("samples", 20),
            Arms(line.Get("arms")));
        bool overwrite = line.Switch("overwrite");
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan experiment --help'.");
        if (settings.Steps < 1) throw new UsageException($"Option --steps must be at least 1, not {settings.Steps}.");
        Presets.Get(preset);
        new EvaluationOptions { Inputs = settings.Inputs, Samples = settings.Samples }.Validate();
        return new AblationExperiment(settings, overwrite, line.Verbose).Run(cancel) is null ? 130 : 0;
    }

    private static IReadOnlyList<AblationArm> Arms(string? list)
    {
        if (list is null) return AblationArm.All;
        var split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        var arms = list.Split(',', split).Select(AblationArm.Find).Distinct().ToList();
        if (arms.Count == 0) throw new UsageException("Option --arms needs at least one arm.");
        return arms;
    }
}
