namespace BicycleGan.Options;

/// <summary>Weights of the loss terms (paper Eq. 9; defaults are the reference's).</summary>
public sealed record LossWeights
{
    /// <summary>λ of G_GAN: D's verdict on the encoded output G(A, E(B)).</summary>
    [Flag("lambda-GAN", "weight of G_GAN, D on the encoded output")]
    public double Gan { get; init; } = 1.0;

    /// <summary>λ of G_GAN2: D2's verdict on the random output G(A, z).</summary>
    [Flag("lambda-GAN2", "weight of G_GAN2, D2 on the random-z output")]
    public double Gan2 { get; init; } = 1.0;

    /// <summary>λ of G_L1: the image reconstruction |G(A, E(B)) − B|.</summary>
    [Flag("lambda-L1", "weight of G_L1, the image reconstruction")]
    public double L1 { get; init; } = 10.0;

    /// <summary>λ of kl: the KL divergence of E(B) from N(0, I).</summary>
    [Flag("lambda-kl", "weight of kl, the KL divergence of E(B)")]
    public double Kl { get; init; } = 0.01;

    /// <summary>λ of z_L1: the latent regression |E(G(A, z)) − z|.</summary>
    [Flag("lambda-z", "weight of z_L1, the latent regression")]
    public double Z { get; init; } = 0.5;

    /// <summary>λ of the mode-seeking term (MSGAN) on the random-z branch; 0 turns it off.</summary>
    [Flag("lambda-ms", "weight of the MSGAN mode-seeking term (0: off)")]
    public double ModeSeeking { get; init; }

    public void Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     ("lambda-gan", Gan), ("lambda-gan2", Gan2), ("lambda-l1", L1), ("lambda-kl", Kl),
                     ("lambda-z", Z), ("lambda-ms", ModeSeeking),
                 })
        {
            ModelOptions.Require(value >= 0 && double.IsFinite(value), name,
                $"must be a finite number ≥ 0, not {value}");
        }
    }

    /// <summary>
    /// The weights a variant actually trains with: the paper's ablations switch terms off
    /// (cVAE-GAN: no G_GAN2 and z_L1; cLR-GAN: no G_GAN, G_L1 and kl; pix2pix+noise: no kl, z_L1, G_GAN2).
    /// </summary>
    public LossWeights For(ModelVariant variant) => variant switch
    {
        ModelVariant.Bicycle => this,
        ModelVariant.CvaeGan => this with { Gan2 = 0, Z = 0, ModeSeeking = 0 },
        ModelVariant.ClrGan => this with { Gan = 0, L1 = 0, Kl = 0 },
        ModelVariant.Pix2PixNoise => this with { Kl = 0, Z = 0, Gan2 = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown model variant."),
    };
}
