using BicycleGan.Options;
using BicycleGan.Training;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Training;

public sealed class TrainerTests
{
    public TrainerTests() => TestNets.Seed();

    private static (BicycleGanModel Model, Trainer Trainer) Create(ModelOptions o, TrainOptions? t = null,
        LossWeights? w = null)
    {
        t ??= new TrainOptions();
        w ??= new LossWeights();
        var model = BicycleGanModel.Create(o, t.Variant, w);
        return (model, new Trainer(model, t, w));
    }

    [Fact]
    public void At_init_lsgan_D_loss_is_about_2_for_two_scales_and_kl_is_about_0()
    {
        // Xavier with gain 0.02 makes every patch score ≈ 0: (0 − 1)² + (0 − 0)² per scale, two scales.
        var (model, trainer) = Create(TestNets.Tiny());
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(model.Options);
        var losses = trainer.Step(a, b);
        Assert.InRange(losses.D, 1.9, 2.1);
        Assert.InRange(losses.D2, 1.9, 2.1);
        Assert.InRange(losses.GGan, 1.9, 2.1);
        Assert.InRange(losses.Kl, 0, 1e-3);
    }

    [Theory]
    [InlineData(ModelVariant.Bicycle, GanMode.LsGan, false, false)]
    [InlineData(ModelVariant.Bicycle, GanMode.Vanilla, true, true)]
    [InlineData(ModelVariant.CvaeGan, GanMode.LsGan, false, false)]
    [InlineData(ModelVariant.ClrGan, GanMode.LsGan, true, false)]
    [InlineData(ModelVariant.Pix2PixNoise, GanMode.Vanilla, false, true)]
    [InlineData(ModelVariant.CvaeGan, GanMode.LsGan, false, true)]
    [InlineData(ModelVariant.ClrGan, GanMode.LsGan, false, true)]
    public void Every_variant_trains_without_crashing_and_reports_only_its_terms(ModelVariant variant, GanMode gan,
        bool conditional, bool sameD)
    {
        var o = TestNets.Tiny() with { ConditionalD = conditional, UseSameD = sameD };
        var (model, trainer) = Create(o, new TrainOptions { Variant = variant, GanMode = gan, BatchSize = 4 },
            new LossWeights { ModeSeeking = variant == ModelVariant.Bicycle ? 1 : 0 });
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(o, n: 4);
        StepLosses? losses = null;
        for (int i = 0; i < 2; i++) losses = trainer.Step(a, b);
        Assert.NotNull(losses);
        Assert.Null(losses.FirstNonFinite());
        Assert.Equal(variant != ModelVariant.ClrGan, losses.GL1 > 0);
        Assert.Equal(variant is ModelVariant.Bicycle or ModelVariant.ClrGan, losses.ZL1 > 0);
        Assert.Equal(variant is ModelVariant.Bicycle or ModelVariant.CvaeGan, losses.Kl != 0);
        Assert.Equal(variant is ModelVariant.Bicycle or ModelVariant.ClrGan, losses.GGan2 > 0);
        Assert.Equal(variant == ModelVariant.Pix2PixNoise, model.E is null);
        Assert.Equal(variant == ModelVariant.Bicycle, losses.ModeSeeking > 0);
    }

    [Fact]
    public void Latent_regression_reaches_G_but_never_updates_E()
    {
        // Only z_L1 on: after its backward E's gradients must be untouched, G's not.
        var o = TestNets.Tiny();
        var w = new LossWeights { Gan = 0, Gan2 = 0, L1 = 0, Kl = 0, Z = 1 };
        var (model, trainer) = Create(o, null, w);
        using var _ = model;
        using var __ = trainer;
        var eBefore = Snapshot(model.E!);
        var gBefore = Snapshot(model.G);
        var (a, b) = TestNets.Batch(o);
        trainer.Step(a, b);
        Assert.True(Same(eBefore, model.E!), "z_L1 must not update E");
        Assert.False(Same(gBefore, model.G), "z_L1 must update G");
    }

    [Fact]
    public void In_cLR_GAN_alone_the_latent_regression_trains_E_as_well()
    {
        var o = TestNets.Tiny();
        var (model, trainer) = Create(o, new TrainOptions { Variant = ModelVariant.ClrGan });
        using var _ = model;
        using var __ = trainer;
        var eBefore = Snapshot(model.E!);
        var (a, b) = TestNets.Batch(o);
        trainer.Step(a, b);
        Assert.False(Same(eBefore, model.E!));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_G_and_E_update_moves_only_G_and_E_and_the_D_update_only_D_and_D2(bool generatorPhase)
    {
        var o = TestNets.Tiny();
        var (model, trainer) = Create(o);
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(o);
        var (g, e, d, d2) = (Snapshot(model.G), Snapshot(model.E!), Snapshot(model.D!), Snapshot(model.D2!));
        using var scope = NewDisposeScope();
        var pass = trainer.Forward(a, b);
        if (generatorPhase) trainer.UpdateGeneratorAndEncoder(trainer.GeneratorAndEncoderLosses(pass));
        else trainer.UpdateDiscriminators(trainer.DiscriminatorLosses(pass));
        Assert.Equal(!generatorPhase, Same(g, model.G));
        Assert.Equal(!generatorPhase, Same(e, model.E!));
        Assert.Equal(generatorPhase, Same(d, model.D!));
        Assert.Equal(generatorPhase, Same(d2, model.D2!));
    }

    [Fact]
    public void A_short_overfit_run_lowers_G_L1()
    {
        // The adversarial terms of such tiny nets dominate at first; a pix2pix-like λ_L1 = 100 lets the
        // reconstruction show within a few dozen steps while every other term still trains.
        var o = TestNets.Tiny() with { Ngf = 8 };
        var (model, trainer) = Create(o, new TrainOptions { Lr = 1e-3 }, new LossWeights { L1 = 100 });
        using var _ = model;
        using var __ = trainer;
        var (a, _) = TestNets.Batch(o);
        // A fixed pair to memorise, B a simple function of A: the encoded branch must learn to reproduce it.
        var b = cat([a, -a, a * 0.5], 1);
        var first = trainer.Step(a, b).GL1;
        double last = first;
        for (int i = 0; i < 80; i++) last = trainer.Step(a, b).GL1;
        Assert.True(last < 0.75 * first, $"G_L1 went from {first} to {last}");
    }

    [Fact]
    public void Native_tensor_count_is_flat_over_steps()
    {
        var o = TestNets.Tiny();
        var (model, trainer) = Create(o);
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(o);
        for (int i = 0; i < 3; i++) trainer.Step(a, b);
        long afterThree = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 27; i++) trainer.Step(a, b);
        Assert.Equal(afterThree, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_NaN_in_the_data_stops_the_step_with_the_loss_named()
    {
        var o = TestNets.Tiny();
        var (model, trainer) = Create(o);
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(o);
        b[0, 0, 0, 0] = tensor(float.NaN);
        var gBefore = Snapshot(model.G);
        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Step(a, b));
        Assert.Equal(1, error.Step);
        Assert.True(Same(gBefore, model.G), "a non-finite loss must not update G");
    }

    [Fact]
    public void An_odd_batch_is_refused()
    {
        var o = TestNets.Tiny();
        var (model, trainer) = Create(o);
        using var _ = model;
        using var __ = trainer;
        var (a, b) = TestNets.Batch(o, n: 3);
        Assert.Contains("even number", Assert.Throws<ArgumentException>(() => trainer.Step(a, b)).Message);
    }

    internal static Tensor[] Snapshot(nn.Module m) => m.parameters().Select(p => p.detach().clone()).ToArray();

    internal static bool Same(Tensor[] before, nn.Module m) =>
        before.Zip(m.parameters()).All(pair => pair.First.allclose(pair.Second, 0, 0));
}
