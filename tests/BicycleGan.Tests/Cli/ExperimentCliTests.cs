namespace BicycleGan.Tests.Cli;

/// <summary>The ablation experiment end to end, at a budget of two steps per arm.</summary>
public sealed class ExperimentCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-experiment-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CliRunner.Outcome Experiment(string steps, params string[] more) => CliRunner.Run(
    [
        "experiment", "--out", Path.Combine(_root, "runs"), "--report", Path.Combine(_root, "report"),
        "--steps", steps, "--arms", "pix2pix-noise,bicycle", "--inputs", "3", "--samples", "3", .. more,
    ]);

    [Fact]
    public void It_trains_and_scores_each_arm_writes_the_report_and_continues_rather_than_retrains()
    {
        var first = Experiment("2");
        Assert.True(first.ExitCode == 0, first.All);

        string report = File.ReadAllText(Path.Combine(_root, "report", "EVALUATION.md"));
        Assert.Contains("| pix2pix+noise |", report);
        Assert.Contains("| BicycleGAN |", report);
        Assert.Contains("**pix2pix+noise collapses:", report);
        Assert.Contains("![BicycleGAN samples](evaluation/bicycle.png)", report);
        Assert.Contains("--arms pix2pix-noise,bicycle", report);
        Assert.Contains("./bicyclegan train --data builtin:shapes --preset small-64 --seed 0 --max-steps 2 "
            + "--model pix2pix-noise", report);
        foreach (string arm in new[] { "pix2pix-noise", "bicycle" })
            Assert.True(new FileInfo(Path.Combine(_root, "report", "evaluation", $"{arm}.png")).Length > 0);
        string metrics = Path.Combine(_root, "runs", "evaluations", "bicycle", "metrics.json");
        string before = File.ReadAllText(metrics);

        var again = Experiment("2");

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("already trained 2 steps", again.Out);
        Assert.DoesNotContain("Training ", again.Out);
        Assert.Equal(before, File.ReadAllText(metrics));
    }

    [Fact]
    public void Another_budget_in_the_same_folder_is_refused_and_an_unknown_arm_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_root, "runs"));
        File.WriteAllText(Path.Combine(_root, "runs", "experiment.txt"), "preset small-64, steps 9, seed 0\n");

        var budget = Experiment("2");
        var arm = CliRunner.Run("experiment", "--out", Path.Combine(_root, "x"), "--arms", "bicycle,gan");

        Assert.Equal(1, budget.ExitCode);
        Assert.Contains("holds an experiment trained with preset small-64, steps 9, seed 0", budget.Error);
        Assert.Equal(2, arm.ExitCode);
        Assert.Contains("'gan' is not an arm", arm.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }
}
