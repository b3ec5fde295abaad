namespace BicycleGan.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Help_lists_the_commands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("train", result.Out);
        Assert.Contains("demo", result.Out);
        Assert.Contains("data", result.Out);
    }

    [Fact]
    public void Train_help_lists_every_option_with_its_default()
    {
        var result = CliRunner.Run("train", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var expected in new[] { "--lambda-L1 10", "--nz 8", "--niter 100", "--niter-decay 100",
                     "--batch-size 2", "--lr 0.0002", "--where-add all", "--gan-mode lsgan", "--max-steps 0" })
            Assert.Contains(expected, result.Out);
        Assert.Equal(BicycleGan.Options.OptionsJson.Flags.Count,
            BicycleGan.Options.OptionsJson.Flags.Count(f => result.Out.Contains($"--{f.Attribute.Name} ")));
    }

    [Theory]
    [InlineData(2, "bicyclegan: 'trian' is not a command", "trian")]
    [InlineData(2, "Missing --data", "train", "--out", "x")]
    [InlineData(1, "Unknown preset 'huge'", "train", "--data", "builtin:shapes", "--out", "x", "--preset", "huge")]
    [InlineData(1, "--norm takes one of instance, batch, none, not 'group'", "train", "--data", "builtin:shapes",
        "--out", "x", "--norm", "group")]
    [InlineData(2, "Unknown option --lamda-l1", "train", "--data", "builtin:shapes", "--out", "x", "--lamda-l1", "3")]
    [InlineData(1, "does not exist", "train", "--data", "/no/such/folder", "--out", "x")]
    public void A_user_mistake_gets_one_line_and_a_non_zero_exit_code(int code, string message, params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(code, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void Train_runs_refuses_to_overwrite_and_resumes()
    {
        string run = Path.Combine(_root, "run");
        var first = CliRunner.Run(["train", "--out", run, "--max-steps", "3", .. CliRunner.TinyTraining]);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("Trained 3 steps", first.Out);
        Assert.Contains("step 3/3", first.Out);

        var again = CliRunner.Run(["train", "--out", run, "--max-steps", "3", .. CliRunner.TinyTraining]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds a run", again.Error);

        var resumed = CliRunner.Run("train", "--out", run, "--resume", "--max-steps", "5",
            "--data", "builtin:shapes?size=32&train=16&val=4&test=4");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("Resuming at step 3", resumed.Out);
        Assert.Contains("Trained 5 steps", resumed.Out);
    }
}
