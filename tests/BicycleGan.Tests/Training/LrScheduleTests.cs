using BicycleGan.Options;
using BicycleGan.Training;

namespace BicycleGan.Tests.Training;

public sealed class LrScheduleTests
{
    [Fact]
    public void Linear_holds_for_niter_epochs_then_decays_towards_zero_as_the_reference()
    {
        var o = new TrainOptions { Niter = 3, NiterDecay = 4 };
        var factors = Enumerable.Range(0, 7).Select(e => LrSchedule.Factor(o, e)).ToArray();
        // 1 − max(0, e + 1 − niter) / (niter_decay + 1)
        Assert.Equal([1, 1, 1, 0.8, 0.6, 0.4, 0.2], factors.Select(f => Math.Round(f, 10)));
    }

    [Fact]
    public void Step_divides_by_ten_every_lr_decay_iters_epochs()
    {
        var o = new TrainOptions { LrPolicy = LrPolicy.Step, LrDecayIters = 2 };
        var factors = Enumerable.Range(0, 5).Select(e => Math.Round(LrSchedule.Factor(o, e), 12));
        Assert.Equal([1, 1, 0.1, 0.1, 0.01], factors);
    }

    [Fact]
    public void Cosine_anneals_to_zero_over_niter_epochs()
    {
        var o = new TrainOptions { LrPolicy = LrPolicy.Cosine, Niter = 4 };
        Assert.Equal(1, LrSchedule.Factor(o, 0), 12);
        Assert.Equal(0.5, LrSchedule.Factor(o, 2), 12);
        Assert.Equal(0, LrSchedule.Factor(o, 4), 12);
    }

    [Fact]
    public void The_trainer_sets_every_optimizer_to_the_epochs_rate()
    {
        TestNets.Seed();
        var train = new TrainOptions { Niter = 1, NiterDecay = 1, Lr = 1e-3 };
        using var model = BicycleGanModel.Create(TestNets.Tiny(), train.Variant, new LossWeights());
        using var trainer = new Trainer(model, train, new LossWeights());
        trainer.BeginEpoch(1);
        Assert.All(trainer.Optimizers.Values, o => Assert.Equal(0.5e-3, o.LearningRate, 12));
    }
}
