using static TorchSharp.torch;

namespace BicycleGan.Losses;

/// <summary>
/// The cVAE-GAN's KL term: KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), SUMMED over the
/// batch and the latent dimensions as in the reference (not averaged), before its weight λ_kl.
/// </summary>
public static class KlDivergence
{
    /// <param name="mu">(N, nz).</param>
    /// <param name="logVar">(N, nz), log σ².</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor Compute(Tensor mu, Tensor logVar)
    {
        using var onePlusLogVar = Scalars.Add(logVar, 1);
        using var muSquared = mu.mul(mu);
        using var variance = logVar.exp();
        using var terms = onePlusLogVar - muSquared - variance;
        using var sum = terms.sum();
        return sum.mul(Scalars.Of(-0.5));
    }

    /// <summary>The reparameterised sample z = μ + ε·exp(½ log σ²), with ε ~ N(0, I) given.</summary>
    public static Tensor Sample(Tensor mu, Tensor logVar, Tensor epsilon)
    {
        using var std = logVar.mul(Scalars.Of(0.5)).exp_();
        using var scaled = epsilon * std;
        return Scalars.Add(scaled, mu);
    }
}
