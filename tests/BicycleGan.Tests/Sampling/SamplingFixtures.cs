using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Tests.Sampling;

/// <summary>Tiny models and inputs for sampling tests (32 px, nz = 4).</summary>
internal static class SamplingFixtures
{
    /// <summary>
    /// A tiny model whose outputs depend visibly on z: the reference's init gain of 0.02 makes an
    /// untrained G print nearly the same grey for every code, which would hide sampling bugs.
    /// </summary>
    public static BicycleGanModel Model(ModelVariant variant = ModelVariant.Bicycle)
    {
        TestNets.Seed(0);
        var options = TestNets.Tiny() with { InitGain = 1.0 };
        return BicycleGanModel.Create(options, variant, new LossWeights(), discriminators: false);
    }

    /// <summary>A smooth, index-dependent C × size × size image in [-1, 1].</summary>
    public static HostImage Image(int index, int channels, int size = 32)
    {
        float[] data = new float[channels * size * size];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double v = Math.Sin(0.3 * x + 0.17 * y * (index + 1) + c);
                    data[(c * size + y) * size + x] = (float)v;
                }
            }
        }
        return new HostImage(data, channels, size, size);
    }

    /// <summary>The PNG bytes of every image, in order, for byte-exact comparisons.</summary>
    public static byte[][] Png(IEnumerable<HostImage> images) => [.. images.Select(ImageCodec.EncodePng)];
}
