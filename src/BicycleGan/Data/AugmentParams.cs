namespace BicycleGan.Data;

/// <summary>
/// The random choices for one example, applied identically to A and B. Crop positions are
/// fractions so they do not depend on the image size: an offset is floor(f × (range + 1)),
/// clamped to the range, and 0.5 is the centre.
/// </summary>
/// <param name="CropX">Horizontal crop position in [0, 1].</param>
/// <param name="CropY">Vertical crop position in [0, 1].</param>
/// <param name="Flip">Mirror left-right (ignored when DataOptions.NoFlip is set).</param>
public readonly record struct AugmentParams(double CropX, double CropY, bool Flip)
{
    // Stream names, so crops and shuffles never share random numbers.
    internal const long AugmentStream = 0x417567;
    internal const long ShuffleStream = 0x536875;

    /// <summary>Evaluation: centre crop, no flip.</summary>
    public static AugmentParams Evaluation { get; } = new(0.5, 0.5, false);

    /// <summary>
    /// Training augmentation of dataset example <paramref name="index"/> in
    /// <paramref name="epoch"/>: a pure function of the three numbers, so it can be recomputed
    /// anywhere (another worker thread, a resumed run) without saved generator state.
    /// </summary>
    public static AugmentParams ForExample(int seed, int epoch, int index)
    {
        var random = SplitMix.For(AugmentStream, seed, epoch, index);
        double x = random.NextDouble();
        double y = random.NextDouble();
        bool flip = random.NextDouble() < 0.5;
        return new AugmentParams(x, y, flip);
    }

    /// <summary>Offset in [0, <paramref name="range"/>] for a crop that can move by range pixels.</summary>
    public static int Offset(double fraction, int range)
    {
        if (range <= 0) return 0;
        int offset = (int)Math.Floor(fraction * (range + 1));
        return Math.Clamp(offset, 0, range);
    }
}
