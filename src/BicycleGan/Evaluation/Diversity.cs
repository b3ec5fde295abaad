using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// The BicycleGAN paper's diversity score for one input: the mean distance between consecutive
/// random samples, d̄ = 1/(S − 1) · Σₖ d(G(A, zₖ), G(A, zₖ₊₁)) over S samples (the paper: S = 20,
/// LPIPS v0.0, averaged over 100 inputs). Consecutive pairs, not all pairs, as the paper counts
/// them; with independent codes both estimate the same mean. Higher is more diverse.
/// </summary>
public static class Diversity
{
    /// <summary>Mean L1 (per value, on [0, 1]) between consecutive samples.</summary>
    /// <param name="samples">At least 2 images of one shape, in [-1, 1].</param>
    public static double PixelL1(IReadOnlyList<HostImage> samples)
    {
        CheckCount(samples);
        double sum = 0;
        for (int k = 0; k + 1 < samples.Count; k++)
            sum += UnitImage.MeanAbsoluteDifference(samples[k], samples[k + 1]);
        return sum / (samples.Count - 1);
    }

    /// <summary>Mean LPIPS between consecutive samples, the S − 1 pairs in one batch.</summary>
    /// <param name="samples">At least 2 images of one shape, in [-1, 1].</param>
    /// <param name="lpips">The perceptual distance.</param>
    public static double Lpips(IReadOnlyList<HostImage> samples, Lpips lpips)
    {
        ArgumentNullException.ThrowIfNull(lpips);
        CheckCount(samples);
        var first = samples.Take(samples.Count - 1).ToList();
        var second = samples.Skip(1).ToList();
        return lpips.Distances(first, second).Average();
    }

    private static void CheckCount(IReadOnlyList<HostImage> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            throw new ArgumentException("Diversity compares consecutive samples and needs at "
                + $"least 2, not {samples.Count}.", nameof(samples));
        }
    }
}
