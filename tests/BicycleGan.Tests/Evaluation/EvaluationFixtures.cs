using BicycleGan.Checkpoints;
using BicycleGan.Data;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Evaluation;

/// <summary>The files tests/reference/make_lpips_fixtures.py makes, and helpers to read them.</summary>
internal static class EvaluationFixtures
{
    public static string Trunk => Fixtures.File("evaluation", "alexnet_narrow.pth");

    public static string Heads(string version) =>
        Fixtures.File("evaluation", $"v{version}", "alex.pth");

    public static string Combined => Fixtures.File("evaluation", "lpips_v0.1_alex_combined.pth");

    public static string LpipsCases => Fixtures.File("evaluation", "lpips_cases.pth");

    public static string SsimCases => Fixtures.File("evaluation", "ssim_cases.pth");

    /// <summary>The images of batch <paramref name="tensor"/> (N × C × H × W).</summary>
    public static List<HostImage> Images(Tensor tensor, Func<double, double>? map = null)
    {
        using var flat = tensor.to(ScalarType.Float64).contiguous();
        double[] values = flat.data<double>().ToArray();
        int n = (int)tensor.shape[0], c = (int)tensor.shape[1];
        int h = (int)tensor.shape[2], w = (int)tensor.shape[3];
        int size = c * h * w;
        var images = new List<HostImage>(n);
        for (int k = 0; k < n; k++)
        {
            float[] data = new float[size];
            for (int i = 0; i < size; i++)
            {
                double v = values[k * size + i];
                data[i] = (float)(map?.Invoke(v) ?? v);
            }
            images.Add(new HostImage(data, c, h, w));
        }
        return images;
    }

    public static double[] Values(Tensor tensor)
    {
        using var d = tensor.to(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    /// <summary>A C × H × W image with every value <paramref name="value"/>.</summary>
    public static HostImage Constant(float value, int channels = 3, int size = 32)
    {
        float[] data = new float[channels * size * size];
        Array.Fill(data, value);
        return new HostImage(data, channels, size, size);
    }
}
