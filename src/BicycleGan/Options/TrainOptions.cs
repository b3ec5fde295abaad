using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>Optimisation and bookkeeping of a training run (defaults are the reference's).</summary>
public sealed record TrainOptions
{
    [Flag("model", "bicycle, cvae-gan, clr-gan or pix2pix-noise")]
    public ModelVariant Variant { get; init; } = ModelVariant.Bicycle;

    [Flag("gan-mode", "lsgan or vanilla")]
    public GanMode GanMode { get; init; } = GanMode.LsGan;

    /// <summary>
    /// Images per step; even, since the first half feeds the encoded branch and the second D2's reals.
    /// </summary>
    [Flag("batch-size", "images per step, even")]
    public int BatchSize { get; init; } = 2;

    /// <summary>Adam's initial learning rate, the same for all four networks.</summary>
    [Flag("lr", "initial Adam learning rate")]
    public double Lr { get; init; } = 2e-4;

    [Flag("beta1", "Adam beta1")]
    public double Beta1 { get; init; } = 0.5;

    [Flag("beta2", "Adam beta2")]
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Epochs at the initial learning rate.</summary>
    [Flag("niter", "epochs at the initial learning rate")]
    public int Niter { get; init; } = 100;

    /// <summary>Epochs over which the learning rate decays to zero after <see cref="Niter"/>.</summary>
    [Flag("niter-decay", "epochs of decay to zero after niter")]
    public int NiterDecay { get; init; } = 100;

    [Flag("lr-policy", "learning-rate schedule: linear, step or cosine")]
    public LrPolicy LrPolicy { get; init; } = LrPolicy.Linear;

    /// <summary>Epochs between ×0.1 decays for <see cref="LrPolicy.Step"/>.</summary>
    [Flag("lr-decay-iters", "epochs between x0.1 decays (step policy)")]
    public int LrDecayIters { get; init; } = 100;

    /// <summary>Seed of weight initialisation, data order, augmentation, z and dropout.</summary>
    [Flag("seed", "seed of init, data order, augmentation, z and dropout")]
    public int Seed { get; init; }

    /// <summary>Stop after this many steps in total (0: run all epochs).</summary>
    [Flag("max-steps", "stop after this many steps in all (0: run every epoch)")]
    public long MaxSteps { get; init; }

    /// <summary>Steps between logged losses (the reference prints every 100 iterations).</summary>
    [Flag("print-freq", "steps between logged losses")]
    public int PrintFreq { get; init; } = 100;

    /// <summary>Steps between refreshed sample pages.</summary>
    [Flag("display-freq", "steps between refreshed sample pages")]
    public int DisplayFreq { get; init; } = 1000;

    /// <summary>Steps between writes of the `latest` checkpoint.</summary>
    [Flag("save-latest-freq", "steps between writes of the latest checkpoint")]
    public int SaveLatestFreq { get; init; } = 5000;

    /// <summary>Epochs between kept checkpoints (`epoch_NNN`).</summary>
    [Flag("save-epoch-freq", "epochs between kept checkpoints")]
    public int SaveEpochFreq { get; init; } = 5;

    /// <summary>
    /// Skip a step whose loss is NaN or infinite (leaving every network as it was) and go on,
    /// instead of stopping the run. Skipped steps are counted and reported at the end.
    /// </summary>
    [Flag("skip-nonfinite", "skip a step with a NaN/inf loss instead of stopping")]
    public bool SkipNonFinite { get; init; }

    /// <summary>libtorch threads; 0 means one per core.</summary>
    [Flag("threads", "libtorch threads (0: one per core)")]
    public int Threads { get; init; }

    /// <summary>Total epochs of the schedule.</summary>
    [JsonIgnore]
    public int Epochs => Niter + NiterDecay;

    public void Validate()
    {
        ModelOptions.Require(BatchSize >= 2 && BatchSize % 2 == 0, "batch-size",
            $"must be even and at least 2 (one half is encoded, the other is D2's real images), not {BatchSize}");
        ModelOptions.Require(Lr > 0 && double.IsFinite(Lr), "lr", $"must be positive, not {Lr}");
        ModelOptions.Require(Beta1 is >= 0 and < 1, "beta1", $"must be in [0, 1), not {Beta1}");
        ModelOptions.Require(Beta2 is >= 0 and < 1, "beta2", $"must be in [0, 1), not {Beta2}");
        ModelOptions.Require(Niter >= 0 && NiterDecay >= 0 && Epochs >= 1, "niter/niter-decay",
            "must be ≥ 0 and add up to at least one epoch");
        ModelOptions.Require(LrDecayIters >= 1, "lr-decay-iters", $"must be at least 1, not {LrDecayIters}");
        ModelOptions.Require(MaxSteps >= 0, "max-steps", $"must be ≥ 0, not {MaxSteps}");
        ModelOptions.Require(PrintFreq >= 1 && DisplayFreq >= 1 && SaveLatestFreq >= 1 && SaveEpochFreq >= 1,
            "print-freq/display-freq/save-latest-freq/save-epoch-freq", "must be at least 1");
        ModelOptions.Require(Threads >= 0, "threads", $"must be ≥ 0, not {Threads}");
    }
}
