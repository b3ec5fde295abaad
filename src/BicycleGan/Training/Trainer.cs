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
        var losses = ReadLosses([.. generator.Named, .. discriminators.Named]);
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
        Tensor? mu = null, logVar = null, zEncoded = null;
        bool encodedBranch = _model.E is not null && (_weights.Gan > 0 || _weights.L1 > 0 || _weights.Kl > 0);
        if (encodedBranch)
        {
            (mu, logVar) = _model.E!.call(realBEncoded);
            zEncoded = KlDivergence.Sample(mu, logVar, _prior(half, nz));
        }

        // cLR-GAN: random z → G → B̂ (from the FIRST half's A) → E → μ2; MSGAN adds a second z.
        bool pix2pix = _options.Variant == ModelVariant.Pix2PixNoise;
        bool randomBranch = pix2pix || _weights.Gan2 > 0 || _weights.Z > 0 || _weights.ModeSeeking > 0;
        var zRandom = randomBranch ? _prior(half, nz) : null;
        var zRandom2 = _weights.ModeSeeking > 0 ? _prior(half, nz) : null;
        var fakes = Generate(realAEncoded, [zEncoded, zRandom, zRandom2]);
        var (fakeBEncoded, fakeBRandom, fakeBRandom2) = (fakes[0], fakes[1], fakes[2]);
        var mu2 = _weights.Z > 0 && _model.E is not null ? EncodeForLatentRegression(fakeBRandom!) : null;

        // pix2pix+noise has no encoder: its only output, from random z, takes the encoded branch's losses.
        if (pix2pix) fakeBEncoded = fakeBRandom;
        return new Pass(realAEncoded, realBEncoded, realARandom, realBRandom, mu, logVar, fakeBEncoded, zRandom,
            fakeBRandom, mu2, zRandom2, fakeBRandom2);
    }

    /// <summary>
    /// G(A, z) for each code given (null codes give null). The codes share one A, so G runs once
    /// on the stacked batch when its norm treats samples independently (instance or none): the
    /// same images as one call per code, for one pass over G's weights instead of several.
    /// Batch norm keeps one call per code, whose batch statistics the reference's training uses.
    /// </summary>
    private Tensor?[] Generate(Tensor realA, Tensor?[] codes)
    {
        var fakes = new Tensor?[codes.Length];
        var given = Enumerable.Range(0, codes.Length).Where(i => codes[i] is not null).ToList();
        if (given.Count <= 1 || _model.Options.Norm == NormKind.Batch)
        {
            foreach (int i in given) fakes[i] = _model.G.call(realA, codes[i]!);
            return fakes;
        }
        var all = _model.G.call(realA.repeat(given.Count, 1, 1, 1), cat(given.Select(i => codes[i]!).ToList(), 0));
        var parts = all.chunk(given.Count, 0);
        for (int k = 0; k < given.Count; k++) fakes[given[k]] = parts[k];
        return fakes;
    }

    /// <summary>
    /// μ2 = μ(E(G(A, z))) for the latent regression |μ2 − z|. In BicycleGAN, E must not learn to
    /// hide z in G's output: E's weights are constants in this pass, so z_L1's gradient reaches G
    /// only and one backward pass serves every G and E loss (the reference takes two). cLR-GAN
    /// alone has no other signal for E, so there E learns from it too (paper §3.3).
    /// </summary>
    private Tensor EncodeForLatentRegression(Tensor fakeBRandom)
    {
        bool encoderLearns = _options.Variant == ModelVariant.ClrGan;
        if (encoderLearns) return _model.E!.call(fakeBRandom).Mu;
        SetRequiresGrad(_model.E, false);
        try
        {
            return _model.E!.call(fakeBRandom).Mu;
        }
        finally
        {
            SetRequiresGrad(_model.E, true);
        }
    }

    /// <summary>The weighted G+E loss terms of a step, before any backward pass, and by name.</summary>
    internal sealed record GeneratorTerms(List<Tensor> Terms, Dictionary<string, Tensor> Named);

    internal GeneratorTerms GeneratorAndEncoderLosses(Pass p)
    {
        // D and D2 only pass gradients through to G here; they learn from their own losses.
        SetRequiresGrad(_model.D, false);
        SetRequiresGrad(_model.D2, false);
        var terms = new List<Tensor>();
        var named = new Dictionary<string, Tensor>();
        void Term(string name, double lambda, Func<Tensor> loss)
        {
            if (lambda <= 0) return;
            var weighted = Poisoned(name, loss().mul(Scalars.Of(lambda)));
            terms.Add(weighted);
            named[name] = weighted;
        }
        Term("G_GAN", _weights.Gan,
            () => _gan.Compute(_model.D!.call(FakePair(p, p.FakeBEncoded!)), true));
        bool secondBranch = _options.Variant != ModelVariant.Pix2PixNoise;
        if (secondBranch)
            Term("G_GAN2", _weights.Gan2, () => _gan.Compute(RandomBranchD().call(FakePair(p, p.FakeBRandom!)), true));
        if (p.Mu is not null) Term("kl", _weights.Kl, () => KlDivergence.Compute(p.Mu, p.LogVar!));
        Term("G_L1", _weights.L1, () => nn.functional.l1_loss(p.FakeBEncoded!, p.RealBEncoded));
        Term("G_ms", _weights.ModeSeeking,
            () => ModeSeeking.Compute(p.FakeBRandom!, p.FakeBRandom2!, p.ZRandom!, p.ZRandom2!));
        // Latent regression |μ(E(G(A, z))) − z|: E's weights were constants in μ2's pass (Forward).
        if (p.Mu2 is not null) Term("z_L1", _weights.Z, () => nn.functional.l1_loss(p.Mu2, p.ZRandom!));
        return new GeneratorTerms(terms, named);
    }

    internal void UpdateGeneratorAndEncoder(GeneratorTerms g)
    {
        _optimizers["G"].ZeroGrad();
        if (_optimizers.TryGetValue("E", out var optimizerE)) optimizerE.ZeroGrad();
        // One backward for every term, z_L1 included: E's weights were constants where it was
        // computed (see Forward), so it reaches G alone.
        var terms = g.Terms;
        if (terms.Count > 0) terms.Skip(1).Aggregate(terms[0], (sum, t) => Scalars.Add(sum, t)).backward();
        optimizerE?.Step();
        _optimizers["G"].Step();
    }

    /// <summary>The losses of D (and of D2, or of D's second task with a shared D), unapplied.</summary>
    internal sealed record DiscriminatorTerms(List<(string Name, Tensor Loss)> OfD, Tensor? OfD2,
        Dictionary<string, Tensor> Named);

    internal DiscriminatorTerms DiscriminatorLosses(Pass p)
    {
        SetRequiresGrad(_model.D, true);
        SetRequiresGrad(_model.D2, true);
        var named = new Dictionary<string, Tensor>();
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
                named[name] = loss;
            }
        }
        Tensor? ofD2 = null;
        if (_model.D2 is not null)
        {
            ofD2 = Poisoned("D2",
                DiscriminatorLoss(_model.D2, RealPair(p, encoded: false), FakePair(p, p.FakeBRandom!)));
            named["D2"] = ofD2;
        }
        return new DiscriminatorTerms(ofD, ofD2, named);
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

    /// <summary>
    /// GAN(D(fake), fake) + GAN(D(real), real), no ½; the fake is detached from G. Fake and real
    /// go through D as one batch unless D's norm is batch norm (see <see cref="Generate"/>).
    /// </summary>
    private Tensor DiscriminatorLoss(MultiScaleDiscriminator d, Tensor real, Tensor fake)
    {
        if (_model.Options.Norm == NormKind.Batch)
            return Scalars.Add(_gan.Compute(d.call(fake.detach()), false), _gan.Compute(d.call(real), true));
        int n = (int)fake.shape[0];
        var maps = d.call(cat([fake.detach(), real], 0));
        var lossFake = _gan.Compute(maps.Select(m => m[..n]).ToList(), false);
        var lossReal = _gan.Compute(maps.Select(m => m[n..]).ToList(), true);
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

    /// <summary>
    /// Every loss's value, copied from native memory in one read: the step's only host sync,
    /// which the guard against non-finite losses needs before any update. A loss the variant
    /// does not train is 0.
    /// </summary>
    private static StepLosses ReadLosses(IReadOnlyList<KeyValuePair<string, Tensor>> named)
    {
        var values = new Dictionary<string, double>();
        if (named.Count > 0)
        {
            using var all = stack(named.Select(kv => kv.Value.detach()).ToList());
            float[] read = all.data<float>().ToArray();
            for (int i = 0; i < named.Count; i++) values[named[i].Key] = read[i];
        }
        double V(string name) => values.GetValueOrDefault(name);
        return new StepLosses(V("G_GAN"), V("D"), V("G_GAN2"), V("D2"), V("G_L1"), V("z_L1"), V("kl"), V("G_ms"));
    }

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
