namespace BicycleGan.Cli.Bench;

/// <summary>
/// The median of repeated timing samples and how far they spread: min, max and the quartiles
/// (linear interpolation between order statistics, so a single sample is its own spread).
/// </summary>
internal sealed record Spread(double Median, double Min, double Max, double Q1, double Q3,
    IReadOnlyList<double> Samples)
{
    public static Spread Of(IEnumerable<double> samples)
    {
        double[] sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("A spread needs at least one sample.", nameof(samples));
        return new Spread(Quantile(sorted, 0.5), sorted[0], sorted[^1], Quantile(sorted, 0.25),
            Quantile(sorted, 0.75), sorted);
    }

    /// <summary>The spread of the samples passed through <paramref name="convert"/>.</summary>
    public Spread Map(Func<double, double> convert) => Of(Samples.Select(convert));

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
