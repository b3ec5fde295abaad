using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// Number of statistically different bins (NDB) and the Jensen-Shannon divergence of bin
/// shares (Richardson &amp; Weiss 2018). k-means splits the real samples into k bins; each
/// generated sample falls in the bin of its nearest centroid. A bin is "different" when a
/// two-proportion z-test rejects equal shares: z = (p_g − p_r) / √(p̂(1 − p̂)(1/N_r + 1/N_g))
/// with the pooled share p̂ = (n_r + n_g)/(N_r + N_g), |z| &gt; 1.96 at α = 0.05 (two-sided).
/// A generator that drops or over-produces modes shows many different bins; one that matches
/// the real distribution shows about α·k by chance.
/// </summary>
public static class Ndb
{
    /// <summary>The paper's default number of bins in our protocol.</summary>
    public const int DefaultBins = 20;

    /// <summary>Largest side of the downsampled images the bins are built on.</summary>
    public const int DefaultSide = 16;

    // Two-sided 5% critical value of the standard normal distribution.
    private const double Critical = 1.959963984540054;

    /// <summary>
    /// Bins <paramref name="real"/> with seeded k-means (k = <paramref name="bins"/>) and
    /// compares the shares of <paramref name="generated"/> with the real shares.
    /// </summary>
    /// <param name="real">Feature vectors of real samples, at least k, all of one length.</param>
    /// <param name="generated">Feature vectors of generated samples, at least one.</param>
    /// <param name="bins">k, from 1 to the number of real samples.</param>
    /// <param name="seed">Seeds the k-means initialisation.</param>
    public static NdbResult Compare(IReadOnlyList<double[]> real, IReadOnlyList<double[]> generated,
        int bins = DefaultBins, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.Count == 0)
            throw new ArgumentException("NDB needs at least one generated sample.");
        if (bins < 1 || bins > real.Count)
        {
            throw new ArgumentException($"NDB with {bins} bins needs at least {bins} real samples, "
                + $"not {real.Count}; use fewer bins or more inputs.");
        }
        int length = real[0].Length;
        if (real.Concat(generated).Any(v => v.Length != length))
            throw new ArgumentException("Every NDB sample must have the same number of features.");
        var kmeans = KMeans.Fit(real, bins, seed);
        double[] realShares = Shares(kmeans, real, bins);
        double[] fakeShares = Shares(kmeans, generated, bins);
        int different = 0;
        for (int b = 0; b < bins; b++)
        {
            if (Differs(realShares[b], real.Count, fakeShares[b], generated.Count)) different++;
        }
        double jsd = JensenShannon(realShares, fakeShares);
        return new NdbResult(bins, different, jsd, realShares, fakeShares);
    }

    /// <summary>
    /// The features NDB bins on: the image on [0, 1], box-averaged to at most
    /// <paramref name="side"/> × <paramref name="side"/> (adaptive average pooling), channel-major.
    /// </summary>
    public static double[] Features(HostImage image, int side = DefaultSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        int oh = Math.Min(side, image.Height), ow = Math.Min(side, image.Width);
        double[] features = new double[image.Channels * oh * ow];
        for (int c = 0; c < image.Channels; c++)
        {
            for (int y = 0; y < oh; y++)
            {
                // Cell y covers rows ⌊y·H/oh⌋ to ⌈(y+1)·H/oh⌉ − 1, as adaptive pooling does.
                int y0 = y * image.Height / oh, y1 = ((y + 1) * image.Height + oh - 1) / oh;
                for (int x = 0; x < ow; x++)
                {
                    int x0 = x * image.Width / ow, x1 = ((x + 1) * image.Width + ow - 1) / ow;
                    double sum = 0;
                    for (int yy = y0; yy < y1; yy++)
                    {
                        for (int xx = x0; xx < x1; xx++) sum += image[c, yy, xx];
                    }
                    double mean = sum / ((y1 - y0) * (x1 - x0));
                    features[(c * oh + y) * ow + x] = (mean + 1) / 2;
                }
            }
        }
        return features;
    }

    /// <summary>Two-sided two-proportion z-test at α = 0.05 with the pooled share.</summary>
    internal static bool Differs(double p1, int n1, double p2, int n2)
    {
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        // se = 0 only when both shares are 0 or both 1: equal, never different.
        return se > 0 && Math.Abs(p2 - p1) / se > Critical;
    }

    /// <summary>JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = (P + Q)/2, natural log.</summary>
    internal static double JensenShannon(double[] p, double[] q)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) sum += 0.5 * p[i] * Math.Log(p[i] / m);
            if (q[i] > 0) sum += 0.5 * q[i] * Math.Log(q[i] / m);
        }
        return Math.Max(0, sum);
    }

    private static double[] Shares(KMeans kmeans, IReadOnlyList<double[]> points, int bins)
    {
        double[] shares = new double[bins];
        foreach (var point in points) shares[kmeans.Assign(point)]++;
        for (int b = 0; b < bins; b++) shares[b] /= points.Count;
        return shares;
    }
}
