using BicycleGan.Losses;
using BicycleGan.Networks;
using BicycleGan.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan.Training;

/// <summary>
/// One BicycleGAN training step exactly as the reference takes it (REFERENCE.md §2): split the
/// batch in halves, encode, generate twice from the first half's A, update G and E, then D and D2
/// on the fakes made before that update. Knows nothing of files or epochs' data: it takes
/// batches and returns numbers. Every tensor of a step lives in that step's dispose scope.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly BicycleGanModel _model;
    private readonly TrainOptions _options;
    private readonly LossWeights _weights;
    private readonly GanLoss _gan;
    private readonly Func<long, long, Tensor> _prior;
    private readonly Dictionary<string, Adam> _optimizers = [];

    /// <param name="model">The networks; the trainer updates them in place but does not own them.</param>
    /// <param name="weights">The configured λs; the variant's ablation is applied on top.</param>
    /// <param name="prior">
    /// Draws (n, nz) samples of N(0, I) for ε and random z; default torch.randn on the global
    /// generator. Tests inject explicit noise here.
    /// </param>
    public Trainer(BicycleGanModel model, TrainOptions options, LossWeights weights,
        Func<long, long, Tensor>? prior = null)
    {
        _model = model;
        _options = options;
        _weights = weights.For(options.Variant);
        _gan = new GanLoss(options.GanMode);
        _prior = prior ?? ((n, nz) => randn(n, nz));
        foreach (var (name, network) in model.Networks)
            _optimizers[name] = new Adam(network.parameters(), options.Lr, options.Beta1, options.Beta2);
        BeginEpoch(0);
    }

    /// <summary>Steps taken so far (also restored on resume).</summary>
    public long StepsDone { get; set; }

    /// <summary>The epoch the learning rate is set for.</summary>
    public int Epoch { get; private set; }

    /// <summary>The current learning rate of every network.</summary>
    public double LearningRate => _options.Lr * LrSchedule.Factor(_options, Epoch);

    /// <summary>The Adam optimizer of each network, by network name (G, E, D, D2).</summary>
    public IReadOnlyDictionary<string, Adam> Optimizers => _optimizers;

    /// <summary>Sets the learning rate of every optimizer for <paramref name="epoch"/>.</summary>
    public void BeginEpoch(int epoch)
    {
        Epoch = epoch;
        foreach (var optimizer in _optimizers.Values) optimizer.LearningRate = LearningRate;
    }

    /// <summary>Steps skipped for a non-finite loss (with <see cref="TrainOptions.SkipNonFinite"/>).</summary>
    public long SkippedSteps { get; set; }

    /// <summary>
    /// Test seam: when it returns true for (step, loss name), that loss is multiplied by NaN as
    /// a diverged network would make it, so the guards can be exercised on purpose. Loss names
    /// are those of <see cref="StepLosses.Names"/>. Never set outside tests.
    /// </summary>
    internal Func<long, string, bool>? PoisonLoss { get; set; }

    /// <summary>
    /// One optimisation step on a batch. Every loss is computed and checked before any network
    /// is updated, so a NaN or infinite loss leaves G, E, D and D2 and their Adam states exactly
    /// as they were: the step either throws <see cref="NonFiniteLossException"/> or, with
    /// <see cref="TrainOptions.SkipNonFinite"/>, is counted in <see cref="SkippedSteps"/> and
    /// its losses are returned with <see cref="StepLosses.FirstNonFinite"/> naming the culprit.
    /// </summary>
    /// <param name="realA">(N, input_nc, H, W) in [-1, 1], N even.</param>
    /// <param name="realB">(N, output_nc, H, W) in [-1, 1].</param>
    /// <exception cref="NonFiniteLossException">A loss is NaN or infinite and skipping is off.</exception>
    public StepLosses Step(Tensor realA, Tensor realB)
    {
        CheckBatch(realA, realB);
        _model.Train(true);
        using var scope = NewDisposeScope();
        var pass = Forward(realA, realB);
        var generator = GeneratorAndEncoderLosses(pass);
        // D sees the fakes detached and its weights are not touched by the G+E update, so its
        // losses are the same whether computed before or after that update (the reference's order).
        var discriminators = DiscriminatorLosses(pass);
        var g = generator.Values;
        var losses = new StepLosses(g.GGan, discriminators.D, g.GGan2, discriminators.D2, g.GL1, g.ZL1, g.Kl,
            g.Ms);
        if (losses.FirstNonFinite() is { } culprit)
        {
            double value = losses.Values[StepLosses.Names.ToList().IndexOf(culprit)];
            if (!_options.SkipNonFinite) throw new NonFiniteLossException(StepsDone + 1, culprit, value);
            StepsDone++;
            SkippedSteps++;
            return losses;
        }
        UpdateGeneratorAndEncoder(generator);
        UpdateDiscriminators(discriminators);
        StepsDone++;
        return losses;
    }

    /// <summary>The tensors of one forward pass, named as in the reference.</summary>
    internal sealed record Pass(Tensor RealAEncoded, Tensor RealBEncoded, Tensor RealARandom, Tensor RealBRandom,
        Tensor? Mu, Tensor? LogVar, Tensor? FakeBEncoded, Tensor? ZRandom, Tensor? FakeBRandom, Tensor? Mu2,
        Tensor? ZRandom2, Tensor? FakeBRandom2);

    internal Pass Forward(Tensor realA, Tensor realB)
    {
        long half = realA.shape[0] / 2;
        long nz = _model.Options.Nz;
        // The first half feeds both G passes; the second half is only ever D2's "real".
        var realAEncoded = realA[..(int)half];
        var realBEncoded = realB[..(int)half];
        var realARandom = realA[(int)half..];
        var realBRandom = realB[(int)half..];

        // cVAE-GAN: B → E → z → G → B̂, with z = μ + ε·σ (ε drawn before z_random, as the reference).
        Tensor? mu = null, logVar = null, fakeBEncoded = null;
        bool encodedBranch = _model.E is not null && (_weights.Gan > 0 || _weights.L1 > 0 || _weights.Kl > 0);
        if (encodedBranch)
        {
            (mu, logVar) = _model.E!.call(realBEncoded);
            var zEncoded = KlDivergence.Sample(mu, logVar, _prior(half, nz));
            fakeBEncoded = _model.G.call(realAEncoded, zEncoded);
        }

        // cLR-GAN: random z → G → B̂ (from the FIRST half's A) → E → μ2.
        Tensor? zRandom = null, fakeBRandom = null, mu2 = null, zRandom2 = null, fakeBRandom2 = null;
        bool pix2pix = _options.Variant == ModelVariant.Pix2PixNoise;
        if (pix2pix || _weights.Gan2 > 0 || _weights.Z > 0 || _weights.ModeSeeking > 0)
        {
            zRandom = _prior(half, nz);
            fakeBRandom = _model.G.call(realAEncoded, zRandom);
        }
        if (_weights.ModeSeeking > 0)
        {
            zRandom2 = _prior(half, nz);
            fakeBRandom2 = _model.G.call(realAEncoded, zRandom2);
        }
        if (_weights.Z > 0 && _model.E is not null) mu2 = _model.E.call(fakeBRandom!).Mu;

        // pix2pix+noise has no encoder: its only output, from random z, takes the encoded branch's losses.
        if (pix2pix) fakeBEncoded = fakeBRandom;
        return new Pass(realAEncoded, realBEncoded, realARandom, realBRandom, mu, logVar, fakeBEncoded, zRandom,
            fakeBRandom, mu2, zRandom2, fakeBRandom2);
    }

    /// <summary>The weighted G+E loss terms of a step, before any backward pass.</summary>
    internal sealed record GeneratorTerms(List<Tensor> Terms, Tensor? ZL1,
        (double GGan, double GGan2, double GL1, double Kl, double ZL1, double Ms) Values);

    internal GeneratorTerms GeneratorAndEncoderLosses(Pass p)
    {
        // D and D2 only pass gradients through to G here; they learn from their own losses.
        SetRequiresGrad(_model.D, false);
        SetRequiresGrad(_model.D2, false);
        var terms = new List<Tensor>();
        Tensor? Term(string name, double lambda, Func<Tensor> loss)
        {
            if (lambda <= 0) return null;
            var weighted = Poisoned(name, loss().mul(Scalars.Of(lambda)));
            terms.Add(weighted);
            return weighted;
        }
        var gGan = Term("G_GAN", _weights.Gan,
            () => _gan.Compute(_model.D!.call(FakePair(p, p.FakeBEncoded!)), true));
        bool secondBranch = _options.Variant != ModelVariant.Pix2PixNoise;
        var gGan2 = secondBranch
            ? Term("G_GAN2", _weights.Gan2,
                () => _gan.Compute(RandomBranchD().call(FakePair(p, p.FakeBRandom!)), true))
            : null;
        var kl = p.Mu is null ? null : Term("kl", _weights.Kl, () => KlDivergence.Compute(p.Mu, p.LogVar!));
        var gL1 = Term("G_L1", _weights.L1, () => nn.functional.l1_loss(p.FakeBEncoded!, p.RealBEncoded));
        var ms = Term("G_ms", _weights.ModeSeeking,
            () => ModeSeeking.Compute(p.FakeBRandom!, p.FakeBRandom2!, p.ZRandom!, p.ZRandom2!));
        // Latent regression |E(G(A, z)) − z|: kept out of loss_G, so that its gradient reaches G only.
        var zL1 = p.Mu2 is null || _weights.Z <= 0
            ? null
            : Poisoned("z_L1", nn.functional.l1_loss(p.Mu2, p.ZRandom!).mul(Scalars.Of(_weights.Z)));
        return new GeneratorTerms(terms, zL1,
            (Value(gGan), Value(gGan2), Value(gL1), Value(kl), Value(zL1), Value(ms)));
    }

    internal void UpdateGeneratorAndEncoder(GeneratorTerms g)
    {
        _optimizers["G"].ZeroGrad();
        if (_optimizers.TryGetValue("E", out var optimizerE)) optimizerE.ZeroGrad();
        if (g.Terms.Count > 0)
        {
            var lossG = g.Terms.Skip(1).Aggregate(g.Terms[0], (sum, t) => Scalars.Add(sum, t));
            lossG.backward(retain_graph: g.ZL1 is not null);
        }
        if (g.ZL1 is not null)
        {
            // In BicycleGAN, E must not learn to hide z in G's output: freeze E for this backward.
            // cLR-GAN alone has no other signal for E, so there E learns from it too (paper §3.3).
            bool encoderLearns = _options.Variant == ModelVariant.ClrGan;
            if (!encoderLearns) SetRequiresGrad(_model.E, false);
            g.ZL1.backward();
            if (!encoderLearns) SetRequiresGrad(_model.E, true);
        }
        optimizerE?.Step();
        _optimizers["G"].Step();
    }

    /// <summary>The losses of D (and of D2, or of D's second task with a shared D), unapplied.</summary>
    internal sealed record DiscriminatorTerms(List<(string Name, Tensor Loss)> OfD, Tensor? OfD2, double D,
        double D2);

    internal DiscriminatorTerms DiscriminatorLosses(Pass p)
    {
        SetRequiresGrad(_model.D, true);
        SetRequiresGrad(_model.D2, true);
        double lossD = 0, lossD2 = 0;
        var ofD = new List<(string Name, Tensor Loss)>();
        if (_model.D is not null)
        {
            if (_weights.Gan > 0)
                ofD.Add(("D", DiscriminatorLoss(_model.D, RealPair(p, encoded: true), FakePair(p, p.FakeBEncoded!))));
            if (_model.Options.UseSameD && _weights.Gan2 > 0 && _options.Variant != ModelVariant.Pix2PixNoise)
                ofD.Add(("D2", DiscriminatorLoss(_model.D, RealPair(p, encoded: false),
                    FakePair(p, p.FakeBRandom!))));
            for (int i = 0; i < ofD.Count; i++)
            {
                var (name, loss) = ofD[i] = (ofD[i].Name, Poisoned(ofD[i].Name, ofD[i].Loss));
                if (name == "D") lossD = Value(loss);
                else lossD2 = Value(loss);
            }
        }
        Tensor? ofD2 = null;
        if (_model.D2 is not null)
        {
            ofD2 = Poisoned("D2",
                DiscriminatorLoss(_model.D2, RealPair(p, encoded: false), FakePair(p, p.FakeBRandom!)));
            lossD2 = Value(ofD2);
        }
        return new DiscriminatorTerms(ofD, ofD2, lossD, lossD2);
    }

    internal void UpdateDiscriminators(DiscriminatorTerms d)
    {
        if (_model.D is not null)
        {
            var optimizerD = _optimizers["D"];
            optimizerD.ZeroGrad();
            foreach (var (_, loss) in d.OfD) loss.backward();
            optimizerD.Step();
        }
        if (d.OfD2 is not null)
        {
            var optimizerD2 = _optimizers["D2"];
            optimizerD2.ZeroGrad();
            d.OfD2.backward();
            optimizerD2.Step();
        }
    }

    /// <summary>GAN(D(fake), fake) + GAN(D(real), real), no ½; the fake is detached from G.</summary>
    private Tensor DiscriminatorLoss(MultiScaleDiscriminator d, Tensor real, Tensor fake)
    {
        var lossFake = _gan.Compute(d.call(fake.detach()), false);
        var lossReal = _gan.Compute(d.call(real), true);
        return Scalars.Add(lossFake, lossReal);
    }

    private MultiScaleDiscriminator RandomBranchD() => _model.Options.UseSameD ? _model.D! : _model.D2!;

    /// <summary>What D sees of a fake: B̂, or (A, B̂) with a conditional D (always the first half's A).</summary>
    private Tensor FakePair(Pass p, Tensor fakeB) =>
        _model.Options.ConditionalD ? cat([p.RealAEncoded, fakeB], 1) : fakeB;

    /// <summary>What D sees of a real image: the first half for D, the second half for D2.</summary>
    private Tensor RealPair(Pass p, bool encoded)
    {
        var (a, b) = encoded ? (p.RealAEncoded, p.RealBEncoded) : (p.RealARandom, p.RealBRandom);
        return _model.Options.ConditionalD ? cat([a, b], 1) : b;
    }

    private Tensor Poisoned(string name, Tensor loss) =>
        PoisonLoss?.Invoke(StepsDone + 1, name) == true ? loss * float.NaN : loss;

    private static double Value(Tensor? loss) => loss is null ? 0.0 : loss.item<float>();

    private static void SetRequiresGrad(nn.Module? network, bool requiresGrad)
    {
        if (network is null) return;
        foreach (var parameter in network.parameters()) parameter.requires_grad = requiresGrad;
    }

    private void CheckBatch(Tensor realA, Tensor realB)
    {
        var o = _model.Options;
        if (realA.dim() != 4 || realB.dim() != 4 || realA.shape[0] != realB.shape[0])
            throw new ArgumentException("A and B must be batches of images shaped (N, C, H, W) with the same N.");
        if (realA.shape[0] % 2 != 0 || realA.shape[0] < 2)
            throw new ArgumentException($"A training batch must hold an even number of images, not {realA.shape[0]}.");
        NetworkChecks.Image(realA, o.InputChannels, o.SizeMultiple, "The training batch's A");
        NetworkChecks.Image(realB, o.OutputChannels, o.SizeMultiple, "The training batch's B");
    }

    public void Dispose()
    {
        foreach (var optimizer in _optimizers.Values) optimizer.Dispose();
    }
}
