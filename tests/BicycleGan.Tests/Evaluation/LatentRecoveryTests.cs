using BicycleGan.Evaluation;
using BicycleGan.Options;
using BicycleGan.Sampling;
using BicycleGan.Tests.Sampling;

namespace BicycleGan.Tests.Evaluation;

public sealed class LatentRecoveryTests
{
    [Fact]
    public void Recovery_is_the_mean_absolute_gap_between_the_encoded_means_and_the_codes()
    {
        using var model = SamplingFixtures.Model();
        var sampler = new Sampler(model, new SamplingOptions { Samples = 3, Seed = 11 });
        var set = sampler.Sample(0, SamplingFixtures.Image(0, 1));

        double measured = LatentRecovery.Measure(model, set.Samples, set.Codes);

        var recovered = set.Samples.Select(s => sampler.EncodeMean(s)!).ToList();
        double expected = LatentRecovery.MeanAbsoluteError(recovered, set.Codes);
        Assert.Equal(expected, measured, 5);
        Assert.True(measured > 0, "an untrained encoder does not recover z exactly");
    }

    [Fact]
    public void Known_codes_give_a_known_error()
    {
        float[][] codes = [[1, -1], [0, 2]];
        float[][] recovered = [[1.5f, -1], [0, 1]];

        Assert.Equal((0.5 + 0 + 0 + 1) / 4, LatentRecovery.MeanAbsoluteError(recovered, codes), 12);
    }

    [Fact]
    public void A_model_without_an_encoder_is_refused()
    {
        using var model = SamplingFixtures.Model(ModelVariant.Pix2PixNoise);
        var image = SamplingFixtures.Image(0, 3);

        var e = Assert.Throws<InvalidOperationException>(
            () => LatentRecovery.Measure(model, [image], [new float[4]]));
        Assert.Contains("encoder", e.Message);
    }
}
