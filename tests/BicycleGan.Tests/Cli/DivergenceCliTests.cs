namespace BicycleGan.Tests.Cli;

/// <summary>
/// A learning rate of 1e30 moves every weight to about ±1e30 in one Adam step, so the second
/// step's losses overflow to NaN: a real divergence, reproducible without any test seam.
/// </summary>
public sealed class DivergenceCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-diverge-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_diverging_run_exits_with_one_line_naming_the_step_and_keeps_its_checkpoint_or_skips_on_request()
    {
        string run = Path.Combine(_root, "run");
        string latest = Path.Combine(run, "checkpoints", "latest");
        var first = CliRunner.Run(["train", "--out", run, "--max-steps", "1", "--lr", "1e30",
            "--save-latest-freq", "1", .. CliRunner.TinyTraining]);
        Assert.True(first.ExitCode == 0, first.All);
        var good = Directory.GetFiles(latest).ToDictionary(f => f, File.ReadAllBytes);

        var diverged = CliRunner.Run(["train", "--out", run, "--resume", "--max-steps", "4",
            .. CliRunner.TinyTraining]);

        Assert.Equal(1, diverged.ExitCode);
        Assert.Single(diverged.Error.Trim().Split('\n'));
        Assert.StartsWith("bicyclegan train: Training diverged at step 2: loss G_GAN is NaN.", diverged.Error);
        foreach (var (file, bytes) in good) Assert.Equal(bytes, File.ReadAllBytes(file));

        var skipping = CliRunner.Run(["train", "--out", run, "--resume", "--max-steps", "4", "--skip-nonfinite",
            .. CliRunner.TinyTraining]);

        Assert.True(skipping.ExitCode == 0, skipping.All);
        Assert.Contains("Skipped 3 steps with a non-finite loss", skipping.Out);
        Assert.Contains("warning: Step 2 skipped: loss G_GAN is not finite", skipping.Error);
        foreach (var (file, bytes) in good.Where(f => Path.GetFileName(f.Key).StartsWith("net_")))
            Assert.Equal(bytes, File.ReadAllBytes(file));
    }
}
