using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>The adversarial objective.</summary>
public enum GanMode
{
    /// <summary>Least squares: MSE to 1 for real and 0 for fake (the reference default).</summary>
    [JsonStringEnumMemberName("lsgan")]
    LsGan,

    /// <summary>The original GAN loss: binary cross-entropy with logits.</summary>
    Vanilla,
}

/// <summary>
/// Which of the paper's models to train. All share one training step; the variants differ in the
/// networks they build and the loss terms they keep (paper §3 and its ablation, §4).
/// </summary>
public enum ModelVariant
{
    /// <summary>BicycleGAN: the cVAE-GAN and cLR-GAN cycles together (the default).</summary>
    Bicycle,

    /// <summary>cVAE-GAN only: B → E → z → G → B̂ with KL; no D2, no latent regression.</summary>
    CvaeGan,

    /// <summary>
    /// cLR-GAN only: random z → G → B̂ → E → ẑ. No image reconstruction, no KL, no D. The latent
    /// regression is E's only signal here, so unlike in BicycleGAN it updates E as well as G.
    /// </summary>
    ClrGan,

    /// <summary>pix2pix with noise: G(A, z) with random z, L1 to B and D; no encoder at all.</summary>
    [JsonStringEnumMemberName("pix2pix-noise")]
    Pix2PixNoise,
}

/// <summary>Learning-rate schedule over epochs.</summary>
public enum LrPolicy
{
    /// <summary>Constant for <c>Niter</c> epochs, then linearly to zero over <c>NiterDecay</c>.</summary>
    Linear,

    /// <summary>×0.1 every <c>LrDecayIters</c> epochs.</summary>
    Step,

    /// <summary>Cosine annealing to zero over <c>Niter + NiterDecay</c> epochs.</summary>
    Cosine,
}
