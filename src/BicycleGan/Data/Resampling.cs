namespace BicycleGan.Data;

/// <summary>
/// Precomputed weights for resampling one axis, after PIL's ImagingResample: output sample i
/// is centred at (i + 0.5) × scale in input coordinates, and when shrinking the kernel is
/// stretched by the scale so every input pixel contributes (antialiasing).
/// </summary>
internal sealed class Resampling
{
    private readonly int[] _first;
    private readonly int[] _count;
    private readonly float[] _weights;
    private readonly int _stride;

    private Resampling(int[] first, int[] count, float[] weights, int stride)
    {
        _first = first;
        _count = count;
        _weights = weights;
        _stride = stride;
    }

    public static Resampling Build(int inSize, int outSize, ResampleFilter filter)
    {
        double support = filter == ResampleFilter.Bicubic ? 2.0 : 1.0;
        double scale = (double)inSize / outSize;
        double stretch = Math.Max(scale, 1.0);
        double reach = support * stretch;
        int stride = (int)Math.Ceiling(reach) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        float[] weights = new float[outSize * stride];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale;
            int lo = Math.Max(0, (int)(centre - reach + 0.5));
            int hi = Math.Min(inSize, (int)(centre + reach + 0.5));
            double total = 0;
            for (int k = lo; k < hi; k++) total += Kernel(filter, (k - centre + 0.5) / stretch);
            first[i] = lo;
            count[i] = hi - lo;
            for (int k = lo; k < hi; k++)
            {
                double w = Kernel(filter, (k - centre + 0.5) / stretch);
                weights[i * stride + k - lo] = (float)(total == 0 ? 0 : w / total);
            }
        }
        return new Resampling(first, count, weights, stride);
    }

    /// <summary>Resamples one line read with <paramref name="inStep"/> into one written with outStep.</summary>
    public void Apply(float[] input, int inStart, int inStep, float[] output, int outStart, int outStep)
    {
        for (int i = 0; i < _first.Length; i++)
        {
            float sum = 0;
            int w = i * _stride;
            int p = inStart + _first[i] * inStep;
            for (int k = 0; k < _count[i]; k++, p += inStep) sum += _weights[w + k] * input[p];
            output[outStart + i * outStep] = sum;
        }
    }

    private static double Kernel(ResampleFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResampleFilter.Bilinear) return x < 1 ? 1 - x : 0;
        const double a = -0.5;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }
}
