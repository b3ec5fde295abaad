using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Training;

namespace BicycleGan.Tests.Training;

public sealed class TrainingRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A BicycleGAN small enough to take a step in a few milliseconds, on 32 px shapes.</summary>
    internal static RunOptions TinyRun(long maxSteps) => new RunOptions
    {
        Preset = "test",
        Model = TestNets.Tiny(),
        Train = new TrainOptions
        {
            BatchSize = 4, Niter = 2, NiterDecay = 2, MaxSteps = maxSteps, Threads = 1, PrintFreq = 2,
            SaveLatestFreq = 3, Seed = 7,
        },
        Data = new DataOptions { Preprocess = PreprocessMode.None, LoadSize = 32, CropSize = 32, Workers = 1 },
    }.Validate();

    internal static IPairedDataset Shapes(RunOptions o) =>
        DatasetFactory.Open("builtin:shapes?size=32&train=16&val=4&test=4", o.Data, seed: 3);

    [Fact]
    public void A_run_resumed_at_step_6_ends_at_step_10_with_the_same_weights_as_an_uninterrupted_run()
    {
        var straight = new RunFolder(Path.Combine(_root, "straight"));
        var resumed = new RunFolder(Path.Combine(_root, "resumed"));
        new TrainingRun(TinyRun(10), straight).Run(Shapes(TinyRun(10)));
        var first = new TrainingRun(TinyRun(6), resumed).Run(Shapes(TinyRun(6)));
        Assert.Equal(6, first.Steps);
        var second = new TrainingRun(TinyRun(10), resumed).Run(Shapes(TinyRun(10)), resume: true);
        Assert.Equal(10, second.Steps);

        foreach (string net in new[] { "G", "E", "D", "D2" })
        {
            using var a = SafeTensors.Read(Path.Combine(straight.Latest, $"net_{net}.safetensors"));
            using var b = SafeTensors.Read(Path.Combine(resumed.Latest, $"net_{net}.safetensors"));
            Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
            foreach (var (key, tensor) in a.Tensors)
                Assert.True(tensor.bytes.SequenceEqual(b.Tensors[key].bytes), $"{net}.{key} differs after resume");
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Latest, $"optimizer_{net}.safetensors")),
                File.ReadAllBytes(Path.Combine(resumed.Latest, $"optimizer_{net}.safetensors")));
        }
        Assert.Equal(10, TrainingCheckpoint.ReadState(resumed.Latest).Step);
    }

    [Fact]
    public void The_run_folder_holds_options_losses_and_a_complete_checkpoint()
    {
        var folder = new RunFolder(Path.Combine(_root, "run"));
        var options = TinyRun(4);
        new TrainingRun(options, folder).Run(Shapes(options));
        Assert.Equal(OptionsJson.Serialize(options), File.ReadAllText(folder.OptionsFile));
        var rows = File.ReadAllLines(folder.LossesFile);
        Assert.Equal("step,epoch,lr,G_GAN,D,G_GAN2,D2,G_L1,z_L1,kl,G_ms,seconds", rows[0]);
        Assert.Equal(["2", "4"], rows.Skip(1).Select(r => r.Split(',')[0]));
        Assert.True(AtomicDirectory.IsComplete(folder.Latest));
        var state = TrainingCheckpoint.ReadState(folder.Latest);
        Assert.Equal((4L, 1, 0), (state.Step, state.Epoch, state.StepInEpoch));
    }

    [Fact]
    public void A_folder_holding_a_run_is_not_overwritten_without_being_asked()
    {
        var folder = new RunFolder(Path.Combine(_root, "run"));
        var options = TinyRun(2);
        new TrainingRun(options, folder).Run(Shapes(options));
        var error = Assert.Throws<InvalidOperationException>(
            () => new TrainingRun(options, folder).Run(Shapes(options)));
        Assert.Contains("already holds a run", error.Message);
        Assert.Equal(2, new TrainingRun(options, folder).Run(Shapes(options), overwrite: true).Steps);
    }

    [Fact]
    public void Resume_without_a_checkpoint_starts_from_the_beginning()
    {
        var folder = new RunFolder(Path.Combine(_root, "fresh"));
        var options = TinyRun(2);
        Assert.Equal(2, new TrainingRun(options, folder).Run(Shapes(options), resume: true).Steps);
    }

    [Fact]
    public void Cancelling_saves_the_latest_checkpoint_and_stops()
    {
        var folder = new RunFolder(Path.Combine(_root, "cancelled"));
        var options = TinyRun(100);
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAfter(2, cancel);
        var result = new TrainingRun(options, folder, observer: observer).Run(Shapes(options), cancel: cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(2, TrainingCheckpoint.ReadState(folder.Latest).Step);
    }

    [Fact]
    public void Resuming_with_another_architecture_is_refused()
    {
        var folder = new RunFolder(Path.Combine(_root, "arch"));
        var options = TinyRun(2);
        new TrainingRun(options, folder).Run(Shapes(options));
        var other = options with { Model = options.Model with { Ngf = 8 } };
        var error = Assert.Throws<InvalidOperationException>(
            () => new TrainingRun(other, folder).Run(Shapes(other), resume: true));
        Assert.Contains("another architecture", error.Message);
    }

    private sealed class CancelAfter(long steps, CancellationTokenSource source) : ITrainingObserver
    {
        public void OnStep(TrainingProgress progress)
        {
            if (progress.Step >= steps) source.Cancel();
        }
    }
}
