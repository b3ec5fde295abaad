namespace BicycleGan.Training;

/// <summary>
/// The losses of one training step, weighted as they entered the objective, under the reference's
/// names (G_GAN, D, G_GAN2, D2, G_L1, z_L1, kl) so curves compare across implementations. A term
/// the variant does not train is 0. <see cref="ModeSeeking"/> is MSGAN's term (0 when off).
/// </summary>
public sealed record StepLosses(double GGan, double D, double GGan2, double D2, double GL1, double ZL1, double Kl,
    double ModeSeeking)
{
    /// <summary>Column names, in the reference's order, plus G_ms.</summary>
    public static IReadOnlyList<string> Names { get; } = ["G_GAN", "D", "G_GAN2", "D2", "G_L1", "z_L1", "kl", "G_ms"];

    public IReadOnlyList<double> Values => [GGan, D, GGan2, D2, GL1, ZL1, Kl, ModeSeeking];

    /// <summary>The first loss that is NaN or infinite, or null.</summary>
    public string? FirstNonFinite()
    {
        for (int i = 0; i < Names.Count; i++)
            if (!double.IsFinite(Values[i])) return Names[i];
        return null;
    }
}
