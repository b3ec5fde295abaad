using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// Structural similarity (Wang et al. 2004) of two images on [0, 1], per channel, then averaged
/// over channels:
/// SSIM = (2μₓμᵧ + C₁)(2σₓᵧ + C₂) / ((μₓ² + μᵧ² + C₁)(σₓ² + σᵧ² + C₂)), with local
/// statistics under an 11 × 11 Gaussian window of σ = 1.5, C₁ = (0.01 L)², C₂ = (0.03 L)², L = 1.
/// As in the authors' reference, the map covers only positions where the window fits inside the
/// image ("valid" filtering), and the score is the mean of the map. 1 means identical.
/// </summary>
public static class Ssim
{
    /// <summary>Side of the Gaussian window; images must be at least this large.</summary>
    public const int WindowSize = 11;

    /// <summary>Standard deviation of the window, in pixels.</summary>
    public const double Sigma = 1.5;

    private const double C1 = 0.01 * 0.01;
    private const double C2 = 0.03 * 0.03;

    private static readonly double[] Window = Gaussian();

    /// <summary>Mean SSIM of <paramref name="x"/> and <paramref name="y"/>, both C × H × W in
    /// [-1, 1] (compared as (v + 1) / 2), sides at least <see cref="WindowSize"/>.</summary>
    public static double Compute(HostImage x, HostImage y)
    {
        UnitImage.CheckSameShape(x, y, "SSIM");
        if (x.Height < WindowSize || x.Width < WindowSize)
        {
            throw new ArgumentException($"SSIM needs images of at least {WindowSize}×{WindowSize} px "
                + $"for its window, not {x.Width}×{x.Height}.");
        }
        double[] ux = UnitImage.From(x), uy = UnitImage.From(y);
        int plane = x.Height * x.Width;
        double sum = 0;
        for (int c = 0; c < x.Channels; c++)
        {
            sum += Channel(ux.AsSpan(c * plane, plane), uy.AsSpan(c * plane, plane),
                x.Height, x.Width);
        }
        return sum / x.Channels;
    }

    private static double Channel(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int h, int w)
    {
        double[] xx = new double[x.Length], yy = new double[x.Length], xy = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] mx = Filter(x, h, w), my = Filter(y, h, w);
        double[] exx = Filter(xx, h, w), eyy = Filter(yy, h, w), exy = Filter(xy, h, w);
        double sum = 0;
        for (int i = 0; i < mx.Length; i++)
        {
            double vx = exx[i] - mx[i] * mx[i];
            double vy = eyy[i] - my[i] * my[i];
            double cov = exy[i] - mx[i] * my[i];
            sum += (2 * mx[i] * my[i] + C1) * (2 * cov + C2)
                / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
        }
        return sum / mx.Length;
    }

    /// <summary>Separable 'valid' Gaussian filtering: (h − 10) × (w − 10) outputs.</summary>
    private static double[] Filter(ReadOnlySpan<double> image, int h, int w)
    {
        int oh = h - WindowSize + 1, ow = w - WindowSize + 1;
        double[] rows = new double[h * ow];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                double s = 0;
                for (int k = 0; k < WindowSize; k++) s += Window[k] * image[y * w + x + k];
                rows[y * ow + x] = s;
            }
        }
        double[] result = new double[oh * ow];
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                double s = 0;
                for (int k = 0; k < WindowSize; k++) s += Window[k] * rows[(y + k) * ow + x];
                result[y * ow + x] = s;
            }
        }
        return result;
    }

    private static double[] Gaussian()
    {
        double[] g = new double[WindowSize];
        double centre = (WindowSize - 1) / 2.0;
        for (int i = 0; i < WindowSize; i++)
            g[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * Sigma * Sigma));
        double total = g.Sum();
        for (int i = 0; i < WindowSize; i++) g[i] /= total;
        return g;
    }
}
