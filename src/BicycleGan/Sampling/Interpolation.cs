using BicycleGan.Data;

namespace BicycleGan.Sampling;

/// <summary>
/// Latent walks for the reference's interpolation video: slerp from each key code to the next,
/// a fixed number of frames per segment, for one input A.
/// </summary>
public static class Interpolation
{
    /// <summary>
    /// Codes along the slerp path through <paramref name="keys"/>: <paramref name="steps"/> per
    /// segment plus the last key, (keys − 1) × steps + 1 in all. Code s × steps is key s exactly.
    /// </summary>
    /// <param name="keys">At least 2 codes of one length.</param>
    /// <param name="steps">Frames from one key to the next, at least 1.</param>
    public static IReadOnlyList<float[]> Path(IReadOnlyList<float[]> keys, int steps)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count < 2)
        {
            throw new ArgumentException(
                $"An interpolation needs at least 2 key codes, not {keys.Count}.", nameof(keys));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var path = new List<float[]>((keys.Count - 1) * steps + 1);
        for (int segment = 0; segment + 1 < keys.Count; segment++)
        {
            for (int s = 0; s < steps; s++)
                path.Add(Slerp.Between(keys[segment], keys[segment + 1], s / (double)steps));
        }
        path.Add((float[])keys[^1].Clone());
        return path;
    }

    /// <summary>
    /// The frames G(A, z) along <see cref="Path"/> through the <paramref name="keyCount"/> codes
    /// the sampler's <see cref="LatentCodes"/> give input <paramref name="index"/>: a z-file's
    /// first rows, or a random draw that equals the page's random samples' codes when keyCount is
    /// the sample count (torch draws a different sequence for a different count).
    /// </summary>
    /// <param name="a">InputChannels × H × W in [-1, 1].</param>
    /// <returns>(keyCount − 1) × steps + 1 images, OutputChannels × H × W in [-1, 1].</returns>
    public static IReadOnlyList<HostImage> Frames(Sampler sampler, int index, HostImage a,
        int keyCount, int steps)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var keys = sampler.Codes.For(index, keyCount, sampler.Nz);
        return sampler.Generate(a, Path(keys, steps));
    }
}
