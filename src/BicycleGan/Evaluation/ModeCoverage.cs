using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// Mode coverage and precision on the built-in <c>shapes</c> data, exact because the generator
/// of the data is known: each outline has <see cref="ShapesModes.Count"/> right fills (colour ×
/// texture), and the scene's interior mask says which pixels show the fill.
/// </summary>
/// <remarks>
/// <para>A sample is classified from a histogram of its interior pixels over white, the six
/// fill colours and "stray". A pixel takes the nearest of those seven colours (Euclidean on
/// [0, 1] RGB) if it lies within half the smallest distance between two of them (about 0.22,
/// so no pixel can be near two), else it is stray. Each mode m predicts a histogram for this
/// scene: solid puts every pixel on its colour; stripes put the scene's striped share s on it
/// and 1 − s on white. The distance is the total variation ½ Σ |h − eₘ|, the share of interior
/// pixels that would have to change.</para>
/// <para>The sample is mode m when m is nearest and the distance is below half the smallest
/// distance between two modes' predictions for the scene (min(s, 1 − s) / 2, about 0.25): then
/// at most one mode can claim it, and a quarter of the interior may be blurred, stray or off-
/// colour before the sample stops counting. A blank interior is at about 0.5 from stripes and
/// 1 from solids, so it is invalid. Stripes are judged by their share, not their phase.</para>
/// </remarks>
public static class ModeCoverage
{
    private static readonly double[][] Palette = BuildPalette();
    private static readonly double PixelRadius = HalfSmallestGap(Palette);

    /// <summary>Bins of the histogram: white (0), the colours (1–6), stray (7).</summary>
    private static int Stray => Palette.Length;

    /// <summary>Classifies the fill of <paramref name="image"/> (3 × Size × Size, [-1, 1])
    /// drawn for <paramref name="scene"/>.</summary>
    public static ModeClassification Classify(ShapesScene scene, HostImage image)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels != 3 || image.Height != scene.Size || image.Width != scene.Size)
        {
            throw new ArgumentException($"A shapes scene of side {scene.Size} is classified from a "
                + $"3×{scene.Size}×{scene.Size} image, not "
                + $"{image.Channels}×{image.Height}×{image.Width}.");
        }
        bool[] interior = scene.InteriorMask();
        double[] histogram = Histogram(image, interior);
        double striped = StripedShare(scene, interior);
        if (histogram.Sum() == 0) return new ModeClassification(null, 0, 1, 0);
        int nearest = 0;
        double best = double.MaxValue;
        for (int m = 0; m < ShapesModes.Count; m++)
        {
            double d = TotalVariation(histogram, Predicted(ShapesModes.All[m], striped));
            if (d < best) (nearest, best) = (m, d);
        }
        double threshold = Math.Min(striped, 1 - striped) / 2;
        return new ModeClassification(best < threshold ? nearest : null, nearest, best, threshold);
    }

    /// <summary>
    /// Coverage of one input's samples: the distinct valid modes among them over the
    /// <see cref="ShapesModes.Count"/> possible ones (so at most S / 12 for S samples).
    /// </summary>
    public static double Coverage(IEnumerable<ModeClassification> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int distinct = samples.Where(s => s.IsValid).Select(s => s.Mode!.Value).Distinct().Count();
        return (double)distinct / ShapesModes.Count;
    }

    /// <summary>Precision: the share of samples whose fill is a valid mode.</summary>
    public static double Precision(IReadOnlyCollection<ModeClassification> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("Precision needs at least one sample.");
        return (double)samples.Count(s => s.IsValid) / samples.Count;
    }

    private static double[] Histogram(HostImage image, bool[] interior)
    {
        int plane = image.Height * image.Width;
        double[] counts = new double[Palette.Length + 1];
        int total = 0;
        Span<double> rgb = stackalloc double[3];
        for (int i = 0; i < plane; i++)
        {
            if (!interior[i]) continue;
            for (int c = 0; c < 3; c++) rgb[c] = (image.Data[c * plane + i] + 1.0) / 2.0;
            counts[NearestColour(rgb)]++;
            total++;
        }
        if (total > 0)
        {
            for (int b = 0; b < counts.Length; b++) counts[b] /= total;
        }
        return counts;
    }

    private static int NearestColour(ReadOnlySpan<double> rgb)
    {
        int best = Stray;
        double bestDistance = PixelRadius;
        for (int p = 0; p < Palette.Length; p++)
        {
            double d = Math.Sqrt(Square(rgb[0] - Palette[p][0]) + Square(rgb[1] - Palette[p][1])
                + Square(rgb[2] - Palette[p][2]));
            if (d < bestDistance) (best, bestDistance) = (p, d);
        }
        return best;
    }

    /// <summary>The histogram mode <paramref name="mode"/> predicts for a scene.</summary>
    private static double[] Predicted(ShapeMode mode, double striped)
    {
        double[] e = new double[Palette.Length + 1];
        int colour = 1 + mode.Index / 2;
        double share = mode.Texture == FillTexture.Solid ? 1 : striped;
        e[colour] = share;
        e[0] = 1 - share;
        return e;
    }

    /// <summary>Share of interior pixels a stripes mode colours (the rest stay white).</summary>
    private static double StripedShare(ShapesScene scene, bool[] interior)
    {
        var stripes = ShapesModes.All.First(m => m.Texture == FillTexture.Stripes);
        int inside = 0, coloured = 0;
        for (int i = 0; i < interior.Length; i++)
        {
            if (!interior[i]) continue;
            inside++;
            if (stripes.IsColouredAt(i % scene.Size, i / scene.Size, scene.Size)) coloured++;
        }
        return inside == 0 ? 0 : (double)coloured / inside;
    }

    private static double TotalVariation(double[] p, double[] q)
    {
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += Math.Abs(p[i] - q[i]);
        return sum / 2;
    }

    /// <summary>White, then each mode colour once, in <see cref="ShapesModes.All"/>'s order.</summary>
    private static double[][] BuildPalette()
    {
        var colours = new List<double[]> { new[] { 1.0, 1.0, 1.0 } };
        foreach (var mode in ShapesModes.All.Where(m => m.Texture == FillTexture.Solid))
            colours.Add([mode.Red / 255.0, mode.Green / 255.0, mode.Blue / 255.0]);
        return [.. colours];
    }

    private static double HalfSmallestGap(double[][] palette)
    {
        double smallest = double.MaxValue;
        for (int a = 0; a < palette.Length; a++)
        {
            for (int b = a + 1; b < palette.Length; b++)
            {
                double d = Math.Sqrt(Square(palette[a][0] - palette[b][0])
                    + Square(palette[a][1] - palette[b][1])
                    + Square(palette[a][2] - palette[b][2]));
                smallest = Math.Min(smallest, d);
            }
        }
        return smallest / 2;
    }

    private static double Square(double v) => v * v;
}
