using BicycleGan.Evaluation;

namespace BicycleGan.Tests.Evaluation;

public sealed class DiversityTests
{
    [Fact]
    public void Pixel_diversity_averages_the_consecutive_pairs_only()
    {
        // Pairs (black, white) and (white, white): L1 1 and 0 on [0, 1]. The non-consecutive
        // pair (black, white) is not counted.
        var samples = new[]
        {
            EvaluationFixtures.Constant(-1),
            EvaluationFixtures.Constant(1),
            EvaluationFixtures.Constant(1),
        };

        Assert.Equal(0.5, Diversity.PixelL1(samples), 12);
    }

    [Fact]
    public void Identical_samples_have_no_diversity()
    {
        var image = Sampling.SamplingFixtures.Image(4, 3);

        Assert.Equal(0, Diversity.PixelL1([image, image, image]), 12);
    }

    [Fact]
    public void Lpips_diversity_is_the_mean_lpips_of_consecutive_samples()
    {
        TestNets.Seed(0);
        using var lpips = Lpips.Load([EvaluationFixtures.Combined]);
        var s = Enumerable.Range(0, 4).Select(k => Sampling.SamplingFixtures.Image(k, 3)).ToList();

        double expected = (lpips.Distance(s[0], s[1]) + lpips.Distance(s[1], s[2])
            + lpips.Distance(s[2], s[3])) / 3;

        Assert.Equal(expected, Diversity.Lpips(s, lpips), 6);
        Assert.True(expected > 0.01, $"the fixture images should differ, LPIPS {expected}");
    }

    [Fact]
    public void One_sample_has_no_consecutive_pair_and_is_refused()
    {
        var one = EvaluationFixtures.Constant(0);

        var e = Assert.Throws<ArgumentException>(() => Diversity.PixelL1([one]));

        Assert.Contains("at least 2", e.Message);
    }
}
