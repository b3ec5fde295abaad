using BicycleGan.Evaluation;

namespace BicycleGan.Tests.Evaluation;

public sealed class NdbTests
{
    [Fact]
    public void Identical_sets_have_no_different_bins_and_zero_jsd()
    {
        var real = Clusters(centres: 10, perCentre: 30, seed: 1);

        var result = Ndb.Compare(real, real, bins: 10, seed: 0);

        Assert.Equal(0, result.DifferentBins);
        Assert.Equal(0, result.Jsd, 12);
        Assert.Equal(result.RealShares, result.GeneratedShares);
    }

    [Fact]
    public void A_generator_stuck_far_from_the_data_differs_in_every_bin()
    {
        var real = Clusters(centres: 10, perCentre: 30, seed: 1);
        var generated = Enumerable.Range(0, 300).Select(i => new[] { 500.0 + i % 3, 500.0 }).ToList();

        var result = Ndb.Compare(real, generated, bins: 10, seed: 0);

        // All generated samples land in one bin (share 1 against ~0.1); every other bin is empty.
        Assert.Equal(10, result.DifferentBins);
        Assert.Equal(1.0, result.DifferentShare);
        Assert.True(result.Jsd > 0.5, $"JSD {result.Jsd} should approach ln 2 = 0.693");
    }

    [Fact]
    public void A_generator_that_drops_half_the_modes_differs_in_about_those_bins()
    {
        var real = Clusters(centres: 10, perCentre: 40, seed: 1);
        var half = Clusters(centres: 10, perCentre: 40, seed: 2)
            .Where(p => p[0] < 5 * Spacing).ToList();

        var result = Ndb.Compare(real, half, bins: 10, seed: 0);

        // Five bins lose their samples and five double theirs: all ten differ.
        Assert.InRange(result.DifferentBins, 8, 10);
    }

    [Fact]
    public void The_z_test_flags_a_gap_of_20_points_but_not_of_5_at_100_samples_each()
    {
        // p̂ = 0.4, se = √(0.4 · 0.6 · 0.02) = 0.069: z = 2.89 for 0.5 vs 0.3, 0.72 for 0.5 vs 0.45.
        Assert.True(Ndb.Differs(0.5, 100, 0.3, 100));
        Assert.False(Ndb.Differs(0.5, 100, 0.45, 100));
        Assert.False(Ndb.Differs(0, 100, 0, 50));
    }

    [Fact]
    public void Jsd_of_disjoint_distributions_is_ln_2()
    {
        Assert.Equal(Math.Log(2), Ndb.JensenShannon([1, 0], [0, 1]), 12);
        Assert.Equal(0, Ndb.JensenShannon([0.25, 0.75], [0.25, 0.75]), 12);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bins()
    {
        var real = Clusters(centres: 6, perCentre: 20, seed: 3);
        var generated = Clusters(centres: 6, perCentre: 20, seed: 4);

        var first = Ndb.Compare(real, generated, bins: 8, seed: 7);
        var second = Ndb.Compare(real, generated, bins: 8, seed: 7);

        Assert.Equal(first.RealShares, second.RealShares);
        Assert.Equal(first.GeneratedShares, second.GeneratedShares);
    }

    [Fact]
    public void Features_are_box_averages_on_0_to_1()
    {
        // A 4 × 4 image: left half black, right half white; at side 2 the cells are pure.
        float[] data = new float[16];
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++) data[y * 4 + x] = x < 2 ? -1 : 1;
        }

        double[] features = Ndb.Features(new BicycleGan.Data.HostImage(data, 1, 4, 4), side: 2);

        Assert.Equal([0.0, 1.0, 0.0, 1.0], features);
    }

    [Fact]
    public void More_bins_than_real_samples_are_refused()
    {
        var real = Clusters(centres: 2, perCentre: 2, seed: 1);

        var e = Assert.Throws<ArgumentException>(() => Ndb.Compare(real, real, bins: 5));
        Assert.Contains("at least 5 real samples", e.Message);
    }

    private const double Spacing = 10;

    /// <summary>Points around centres (Spacing·c, 0) with a small seeded spread.</summary>
    private static List<double[]> Clusters(int centres, int perCentre, int seed)
    {
        var random = new Random(seed);
        var points = new List<double[]>();
        for (int c = 0; c < centres; c++)
        {
            for (int i = 0; i < perCentre; i++)
                points.Add([c * Spacing + random.NextDouble() - 0.5, random.NextDouble() - 0.5]);
        }
        return points;
    }
}
