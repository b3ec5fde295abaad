using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// Peak signal-to-noise ratio of two images on [0, 1] (peak 1): PSNR = 10 · log₁₀(1 / MSE) dB,
/// the MSE taken over every channel and pixel. Higher is closer.
/// </summary>
public static class Psnr
{
    /// <summary>
    /// The ceiling reported for identical images, whose PSNR is infinite: 100 dB, an MSE of
    /// 1e-10, far above any real reconstruction (8-bit rounding alone costs ~59 dB), so averages
    /// and JSON stay finite.
    /// </summary>
    public const double MaxDecibels = 100;

    /// <summary>PSNR in dB of <paramref name="x"/> against <paramref name="y"/>, both C × H × W
    /// in [-1, 1] (compared as (v + 1) / 2), at most <see cref="MaxDecibels"/>.</summary>
    public static double Compute(HostImage x, HostImage y)
    {
        UnitImage.CheckSameShape(x, y, "PSNR");
        double sum = 0;
        for (int i = 0; i < x.Data.Length; i++)
        {
            double d = ((double)x.Data[i] - y.Data[i]) / 2;
            sum += d * d;
        }
        double mse = Math.Max(sum / x.Data.Length, Math.Pow(10, -MaxDecibels / 10));
        return 10 * Math.Log10(1 / mse);
    }
}
