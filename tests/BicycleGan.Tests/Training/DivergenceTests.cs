using BicycleGan.Options;
using BicycleGan.Training;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Training;

/// <summary>
/// A NaN or infinite loss, injected through the trainer's test seam (<c>PoisonLoss</c>), must
/// stop the run before any network moves, or with SkipNonFinite be skipped without moving any.
/// </summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-nan-").FullName;

    public DivergenceTests() => TestNets.Seed();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("G_GAN")]
    [InlineData("z_L1")]
    [InlineData("D")]
    [InlineData("D2")]
    public void A_non_finite_loss_stops_the_step_before_any_network_or_optimizer_moves(string loss)
    {
        var o = TestNets.Tiny();
        using var model = BicycleGanModel.Create(o, ModelVariant.Bicycle, new LossWeights());
        using var trainer = new Trainer(model, new TrainOptions(), new LossWeights())
        {
            PoisonLoss = (step, name) => step == 2 && name == loss,
        };
        var (a, b) = TestNets.Batch(o);
        trainer.Step(a, b);
        var before = Snapshot(model, trainer);

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Step(a, b));

        Assert.Equal((2L, loss), (error.Step, error.Loss));
        Assert.Contains($"step 2: loss {loss} is NaN", error.Message);
        Assert.Equal(1, trainer.StepsDone);
        AssertUnchanged(before, model, trainer);
    }

    [Theory]
    [InlineData("G_L1")]
    [InlineData("D")]
    [InlineData("D2")]
    public void With_skip_nonfinite_the_step_is_skipped_and_counted_and_no_network_moves(string loss)
    {
        var o = TestNets.Tiny();
        using var model = BicycleGanModel.Create(o, ModelVariant.Bicycle, new LossWeights());
        using var trainer = new Trainer(model, new TrainOptions { SkipNonFinite = true }, new LossWeights())
        {
            PoisonLoss = (step, name) => step == 2 && name == loss,
        };
        var (a, b) = TestNets.Batch(o);
        trainer.Step(a, b);
        var before = Snapshot(model, trainer);

        var skipped = trainer.Step(a, b);

        Assert.Equal(loss, skipped.FirstNonFinite());
        Assert.Equal((2L, 1L), (trainer.StepsDone, trainer.SkippedSteps));
        AssertUnchanged(before, model, trainer);
        Assert.Null(trainer.Step(a, b).FirstNonFinite());
        Assert.False(TrainerTests.Same(before.Weights["G"], model.G), "the step after a skip trains again");
    }

    [Fact]
    public void A_diverging_run_names_the_step_and_the_loss_and_leaves_the_last_checkpoint_byte_identical()
    {
        var options = SavedEveryStep(TrainingRunTests.TinyRun(10));
        var folder = new RunFolder(Path.Combine(_root, "diverged"));
        var saved = new CheckpointCopy(folder, afterStep: 4);
        var run = new TrainingRun(options, folder, observer: saved)
        {
            PoisonLoss = (step, name) => step == 5 && name == "D",
        };

        var error = Assert.Throws<NonFiniteLossException>(() => run.Run(TrainingRunTests.Shapes(options)));

        Assert.StartsWith("Training diverged at step 5: loss D is NaN.", error.Message);
        Assert.NotEmpty(saved.Files);
        Assert.Equal(saved.Files.Keys.Order(), Directory.GetFiles(folder.Latest).Order());
        foreach (var (file, bytes) in saved.Files)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{file} changed");
    }

    [Fact]
    public void A_run_with_skip_nonfinite_reports_how_many_steps_it_skipped()
    {
        var tiny = TrainingRunTests.TinyRun(8);
        var options = tiny with { Train = tiny.Train with { SkipNonFinite = true } };
        var folder = new RunFolder(Path.Combine(_root, "skipping"));
        var run = new TrainingRun(options, folder)
        {
            PoisonLoss = (step, name) => (step, name) is (3, "G_GAN") or (6, "D2"),
        };

        var result = run.Run(TrainingRunTests.Shapes(options));

        Assert.Equal((8L, 2L, false), (result.Steps, result.SkippedSteps, result.Cancelled));
    }

    private static RunOptions SavedEveryStep(RunOptions o) => o with { Train = o.Train with { SaveLatestFreq = 1 } };

    private sealed record State(Dictionary<string, Tensor[]> Weights, Dictionary<string, byte[]> Optimizers);

    private static State Snapshot(BicycleGanModel model, Trainer trainer) => new(
        model.Networks.ToDictionary(n => n.Name, n => TrainerTests.Snapshot(n.Network)),
        trainer.Optimizers.ToDictionary(o => o.Key, o => OptimizerBytes(o.Value)));

    private static void AssertUnchanged(State before, BicycleGanModel model, Trainer trainer)
    {
        foreach (var (name, network) in model.Networks)
        {
            Assert.True(TrainerTests.Same(before.Weights[name], network), $"{name} was updated");
            Assert.True(before.Optimizers[name].SequenceEqual(OptimizerBytes(trainer.Optimizers[name])),
                $"the Adam state of {name} was updated");
        }
    }

    private static byte[] OptimizerBytes(Adam optimizer)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var stream = new MemoryStream();
        BicycleGan.Checkpoints.SafeTensors.Write(stream, optimizer.StateDict());
        return stream.ToArray();
    }

    /// <summary>Keeps the bytes of the latest checkpoint as written after one step.</summary>
    private sealed class CheckpointCopy(RunFolder folder, long afterStep) : ITrainingObserver
    {
        public Dictionary<string, byte[]> Files { get; } = [];

        public void OnCheckpoint(string written, long step)
        {
            if (step != afterStep || written != folder.Latest) return;
            foreach (string file in Directory.GetFiles(written)) Files[file] = File.ReadAllBytes(file);
        }
    }
}
