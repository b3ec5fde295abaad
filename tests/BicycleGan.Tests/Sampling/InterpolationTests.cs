using BicycleGan.Options;
using BicycleGan.Sampling;

namespace BicycleGan.Tests.Sampling;

public sealed class InterpolationTests
{
    private static double Norm(float[] code) => Math.Sqrt(code.Sum(v => (double)v * v));

    [Fact]
    public void Slerp_starts_and_ends_exactly_at_the_codes()
    {
        float[] from = [1f, 2f, -0.5f, 0.25f];
        float[] to = [-3f, 0.5f, 1f, 2f];
        Assert.Equal(from, Slerp.Between(from, to, 0));
        Assert.Equal(to, Slerp.Between(from, to, 1));
    }

    [Fact]
    public void Between_codes_of_equal_norm_slerp_keeps_the_norm_where_a_straight_line_would_dip()
    {
        float[] from = [2f, 0f, 0f, 0f];
        float[] to = [0f, 0f, 2f, 0f];
        for (int s = 1; s < 10; s++)
            Assert.Equal(2.0, Norm(Slerp.Between(from, to, s / 10.0)), 5);
        float[] middle = Slerp.Between(from, to, 0.5);
        Assert.Equal(Math.Sqrt(2), middle[0], 5);
        Assert.Equal(Math.Sqrt(2), middle[2], 5);
    }

    [Fact]
    public void Slerp_moves_along_the_arc_at_constant_angular_speed()
    {
        float[] from = [1f, 0f];
        float[] to = [0f, 1f];
        float[] third = Slerp.Between(from, to, 1 / 3.0);
        Assert.Equal(Math.PI / 6, Math.Atan2(third[1], third[0]), 5);
    }

    [Fact]
    public void Parallel_and_opposite_codes_fall_back_to_a_straight_line_instead_of_dividing_by_zero()
    {
        float[] code = [1f, 2f, 3f];
        float[] twice = [2f, 4f, 6f];
        float[] opposite = [-1f, -2f, -3f];
        Assert.Equal([1.5f, 3f, 4.5f], Slerp.Between(code, twice, 0.5));
        Assert.Equal([0f, 0f, 0f], Slerp.Between(code, opposite, 0.5));
        Assert.Equal([0.5f, 1f, 1.5f], Slerp.Between(code, [0f, 0f, 0f], 0.5));
    }

    [Fact]
    public void A_path_holds_steps_per_segment_and_passes_through_every_key()
    {
        float[][] keys = [[1f, 0f, 0f], [0f, 1f, 0f], [0f, 0f, 1f]];
        var path = Interpolation.Path(keys, 4);
        Assert.Equal(2 * 4 + 1, path.Count);
        Assert.Equal(keys[0], path[0]);
        Assert.Equal(keys[1], path[4]);
        Assert.Equal(keys[2], path[8]);
        Assert.All(path, code => Assert.Equal(1.0, Norm(code), 5));
    }

    [Fact]
    public void Interpolation_frames_at_the_keys_are_the_random_samples_of_the_page()
    {
        using var model = SamplingFixtures.Model();
        var sampler = new Sampler(model, new SamplingOptions { Samples = 3, Seed = 5 });
        var a = SamplingFixtures.Image(2, 1);
        var frames = Interpolation.Frames(sampler, 2, a, keyCount: 3, steps: 4);
        var set = sampler.Sample(2, a);
        Assert.Equal(9, frames.Count);
        var atKeys = SamplingFixtures.Png([frames[0], frames[4], frames[8]]);
        Assert.Equal(SamplingFixtures.Png(set.Samples), atKeys);
    }
}
