using System.Diagnostics;
using System.Globalization;
using BicycleGan.Checkpoints;
using BicycleGan.Training;
using Xunit.Abstractions;

namespace BicycleGan.Tests.Cli;

/// <summary>
/// The real command line, writing a checkpoint after every step, is killed with SIGKILL at
/// seeded moments: half at a random delay after a step, half a fraction of a millisecond
/// after a checkpoint's staging folder appears (inside the write). After every kill the last
/// complete checkpoint must load into fresh networks and optimizers, and `--resume` must
/// continue from exactly it; the run finally ends bit for bit where an uninterrupted one does.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>22 keeps the test near a minute on two idle cores; BICYCLEGAN_KILLS asks for more.</summary>
    private static readonly int Kills = int.Parse(
        Environment.GetEnvironmentVariable("BICYCLEGAN_KILLS") ?? "22", CultureInfo.InvariantCulture);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-kill-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_run_killed_at_random_moments_resumes_from_its_last_complete_checkpoint_and_ends_bit_identical()
    {
        var folder = new RunFolder(Path.Combine(_root, "killed"));
        var random = new Random(20260312);
        var clock = Stopwatch.StartNew();
        long lastStep = -1;
        int insideWrites = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            string[] resume = kill == 0 ? [] : ["--resume"];
            using var cli = CliProcess.Start(["train", "--out", folder.Root, .. resume, .. EveryStepSaved]);
            Assert.True(cli.WaitForLine("step ", Patience), $"the run ended before kill {kill}: {cli.Error}");
            // Each process first saves once, so every kill has a newer checkpoint to lose.
            WaitForCheckpointAfter(folder, lastStep);
            if (kill % 2 == 1) WaitForStagingFolder(folder, Delay(random, maxMilliseconds: 3));
            else Thread.Sleep(Delay(random, maxMilliseconds: 250));
            Assert.False(cli.HasExited, $"the run ended by itself before kill {kill}: {cli.Out}\n{cli.Error}");
            cli.KillHard();

            if (lastStep >= 0) Assert.Contains($"Resuming at step {lastStep} ", cli.Out);
            if (LeftoversOfAWrite(folder)) insideWrites++;
            string? latest = TrainingCheckpoint.Find(folder.Latest);
            Assert.True(latest is not null, $"kill {kill} left no complete checkpoint");
            long step = LoadIntoFreshNetworks(folder, latest);
            Assert.True(step > lastStep, $"kill {kill} went back from step {lastStep} to {step}");
            output.WriteLine($"kill {kill} ({(kill % 2 == 1 ? "in a write" : "by delay")}): step {step}");
            lastStep = step;
        }

        long end = lastStep + 3;
        var finished = CliRunner.Run(["train", "--out", folder.Root, "--resume", "--max-steps", Text(end),
            .. EveryStepSaved]);
        Assert.True(finished.ExitCode == 0, finished.All);
        Assert.Contains($"Resuming at step {lastStep} ", finished.Out);
        Assert.Contains($"Trained {end} steps", finished.Out);

        var straight = new RunFolder(Path.Combine(_root, "straight"));
        var reference = CliRunner.Run(["train", "--out", straight.Root, "--max-steps", Text(end), .. EveryStepSaved]);
        Assert.True(reference.ExitCode == 0, reference.All);
        AssertSameTraining(straight.Latest, folder.Latest);
        output.WriteLine($"{Kills} kills ({insideWrites} inside a checkpoint write), resumed to step {end} " +
                         $"in {clock.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public void A_second_process_is_refused_while_a_run_trains_and_the_lock_dies_with_a_killed_run()
    {
        var folder = new RunFolder(Path.Combine(_root, "shared"));
        using var first = CliProcess.Start(["train", "--out", folder.Root, .. EveryStepSaved]);
        Assert.True(first.WaitForLine("step ", Patience), first.Error);

        var second = CliRunner.Run(["train", "--out", folder.Root, "--resume", .. EveryStepSaved]);

        Assert.False(first.HasExited, "the first run must still be training for this test to mean anything");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"Run folder '{folder.Root}' is in use: process {first.Id} is training into it.",
            second.Error);
        Assert.Single(second.Error.Trim().Split('\n'));
        first.KillHard();

        long step = TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(folder.Latest)!).Step;
        var third = CliRunner.Run(["train", "--out", folder.Root, "--resume", "--max-steps", Text(step + 1),
            .. EveryStepSaved]);
        Assert.True(third.ExitCode == 0, third.All);
        Assert.Contains($"Trained {step + 1} steps", third.Out);
    }

    private static string[] EveryStepSaved => ["--save-latest-freq", "1", .. CliRunner.TinyTraining];

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A delay in steps of a quarter millisecond, so kills land at finely varied points.</summary>
    private static TimeSpan Delay(Random random, int maxMilliseconds) =>
        TimeSpan.FromMilliseconds(random.Next(maxMilliseconds * 4 + 1) / 4.0);

    /// <summary>Waits until the folder holds a complete checkpoint later than step <paramref name="step"/>.</summary>
    private static void WaitForCheckpointAfter(RunFolder folder, long step)
    {
        var clock = Stopwatch.StartNew();
        while (LatestStep(folder) <= step)
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"No checkpoint after step {step} appeared.");
            Thread.Sleep(2);
        }
    }

    /// <summary>The step of the latest complete checkpoint, or -1; read while the run may replace it.</summary>
    private static long LatestStep(RunFolder folder)
    {
        try
        {
            return TrainingCheckpoint.Find(folder.Latest) is { } latest
                ? TrainingCheckpoint.ReadState(latest).Step
                : -1;
        }
        catch (Exception e) when (e is IOException or CheckpointFormatException)
        {
            // The folder was swapped out under the reader; the next poll sees the new one.
            return -1;
        }
    }

    /// <summary>Waits until a checkpoint write is under way, then a further <paramref name="delay"/>.</summary>
    private static void WaitForStagingFolder(RunFolder folder, TimeSpan delay)
    {
        var clock = Stopwatch.StartNew();
        while (!LeftoversOfAWrite(folder))
        {
            if (clock.Elapsed > Patience) throw new TimeoutException("No checkpoint write was seen.");
            Thread.Yield();
        }
        // Spinning, since a sleep cannot wait a fraction of a millisecond.
        var spin = Stopwatch.StartNew();
        while (spin.Elapsed < delay) Thread.SpinWait(20);
    }

    /// <summary>True when a staging (or retired) folder of a checkpoint write is present.</summary>
    private static bool LeftoversOfAWrite(RunFolder folder) =>
        Directory.Exists(folder.CheckpointsFolder)
        && Directory.EnumerateDirectories(folder.CheckpointsFolder, ".latest.*").Any();

    /// <summary>Loads the checkpoint as a resume does, into networks and optimizers built afresh.</summary>
    private static long LoadIntoFreshNetworks(RunFolder folder, string checkpoint)
    {
        var options = folder.ReadOptions();
        TestNets.Seed();
        using var model = BicycleGanModel.Create(options.Model, options.Train.Variant, options.Loss);
        using var trainer = new Trainer(model, options.Train, options.Loss);
        Assert.Equal(options.Model, TrainingCheckpoint.LoadWeights(checkpoint, model).Model);
        var state = TrainingCheckpoint.Restore(checkpoint, model, trainer);
        Assert.Equal(state.Step, trainer.StepsDone);
        return state.Step;
    }

    private static void AssertSameTraining(string expected, string actual)
    {
        foreach (string net in new[] { "G", "E", "D", "D2" })
        {
            using var a = SafeTensors.Read(Path.Combine(expected, $"net_{net}.safetensors"));
            using var b = SafeTensors.Read(Path.Combine(actual, $"net_{net}.safetensors"));
            Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
            foreach (var (key, tensor) in a.Tensors)
                Assert.True(tensor.bytes.SequenceEqual(b.Tensors[key].bytes), $"{net}.{key} differs after the kills");
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, $"optimizer_{net}.safetensors")),
                File.ReadAllBytes(Path.Combine(actual, $"optimizer_{net}.safetensors")));
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "rng.safetensors")),
            File.ReadAllBytes(Path.Combine(actual, "rng.safetensors")));
    }
}
