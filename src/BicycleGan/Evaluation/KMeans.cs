using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// Lloyd's k-means with k-means++ seeding from a seeded generator, on the CPU in doubles: the
/// same points, k and seed always give the same centroids. Ties go to the lower centroid index.
/// </summary>
internal sealed class KMeans
{
    private const int MaxIterations = 100;

    private KMeans(double[][] centroids) => Centroids = centroids;

    public double[][] Centroids { get; }

    /// <summary>Clusters <paramref name="points"/> (all of one length) into k groups.</summary>
    public static KMeans Fit(IReadOnlyList<double[]> points, int k, long seed)
    {
        if (k < 1 || k > points.Count)
        {
            throw new ArgumentException(
                $"k-means needs 1 ≤ k ≤ {points.Count} points, not k = {k}.");
        }
        var random = SplitMix.For(0x4B6D65616E73, seed);
        var centroids = Seed(points, k, random);
        int[] assignment = new int[points.Count];
        Array.Fill(assignment, -1);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            bool changed = false;
            for (int i = 0; i < points.Count; i++)
            {
                int nearest = Nearest(centroids, points[i]);
                changed |= nearest != assignment[i];
                assignment[i] = nearest;
            }
            if (!changed) break;
            Update(points, assignment, centroids);
        }
        return new KMeans(centroids);
    }

    /// <summary>Index of the centroid nearest to <paramref name="point"/> (squared Euclidean).</summary>
    public int Assign(double[] point) => Nearest(Centroids, point);

    private static double[][] Seed(IReadOnlyList<double[]> points, int k, SplitMix random)
    {
        // k-means++: each next centroid is a point drawn with probability ∝ D², its squared
        // distance to the nearest centroid so far, which spreads the starting centroids.
        var first = (double[])points[random.NextInt(points.Count)].Clone();
        var centroids = new List<double[]> { first };
        double[] d2 = points.Select(p => Distance2(p, centroids[0])).ToArray();
        while (centroids.Count < k)
        {
            double total = d2.Sum();
            int pick = 0;
            if (total > 0)
            {
                double target = random.NextDouble() * total;
                while (pick < d2.Length - 1 && (target -= d2[pick]) >= 0) pick++;
            }
            else
            {
                pick = random.NextInt(points.Count); // every point is already a centroid
            }
            centroids.Add((double[])points[pick].Clone());
            for (int i = 0; i < d2.Length; i++)
                d2[i] = Math.Min(d2[i], Distance2(points[i], centroids[^1]));
        }
        return [.. centroids];
    }

    private static void Update(IReadOnlyList<double[]> points, int[] assignment, double[][] centroids)
    {
        int dims = points[0].Length;
        var sums = new double[centroids.Length][];
        int[] counts = new int[centroids.Length];
        for (int c = 0; c < centroids.Length; c++) sums[c] = new double[dims];
        for (int i = 0; i < points.Count; i++)
        {
            counts[assignment[i]]++;
            for (int d = 0; d < dims; d++) sums[assignment[i]][d] += points[i][d];
        }
        for (int c = 0; c < centroids.Length; c++)
        {
            // An emptied cluster keeps its centroid; it may win points back next round.
            if (counts[c] == 0) continue;
            for (int d = 0; d < dims; d++) centroids[c][d] = sums[c][d] / counts[c];
        }
    }

    private static int Nearest(double[][] centroids, double[] point)
    {
        int best = 0;
        double bestDistance = double.MaxValue;
        for (int c = 0; c < centroids.Length; c++)
        {
            double d = Distance2(point, centroids[c]);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best;
    }

    private static double Distance2(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }
}
