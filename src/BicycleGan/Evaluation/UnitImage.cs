using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// The [0, 1] view that pixel metrics use: v = (x + 1) / 2 of a [-1, 1] image, so a distance
/// of 1 means black against white whatever the training range.
/// </summary>
internal static class UnitImage
{
    public static double[] From(HostImage image)
    {
        double[] unit = new double[image.Data.Length];
        for (int i = 0; i < unit.Length; i++) unit[i] = (image.Data[i] + 1.0) / 2.0;
        return unit;
    }

    public static void CheckSameShape(HostImage x, HostImage y, string metric)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Channels != y.Channels || x.Height != y.Height || x.Width != y.Width)
        {
            throw new ArgumentException($"{metric} compares images of one shape, not "
                + $"{x.Channels}×{x.Height}×{x.Width} and {y.Channels}×{y.Height}×{y.Width}.");
        }
    }

    /// <summary>Mean |x − y| over every value, on [0, 1].</summary>
    public static double MeanAbsoluteDifference(HostImage x, HostImage y)
    {
        CheckSameShape(x, y, "L1");
        double sum = 0;
        // (x + 1) / 2 − (y + 1) / 2 = (x − y) / 2.
        for (int i = 0; i < x.Data.Length; i++) sum += Math.Abs((double)x.Data[i] - y.Data[i]) / 2;
        return sum / x.Data.Length;
    }
}
