using System.Numerics;

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

    /// <summary>Resamples one contiguous line of input into one contiguous line of output.</summary>
    public void ApplyToLine(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            var weights = _weights.AsSpan(i * _stride, _count[i]);
            var taps = input.Slice(_first[i], _count[i]);
            float sum = 0;
            for (int k = 0; k < weights.Length; k++) sum += weights[k] * taps[k];
            output[i] = sum;
        }
    }

    /// <summary>
    /// Resamples the rows of one plane (<paramref name="width"/> columns): each output row is a
    /// weighted sum of whole input rows, so memory is read in order and the sums vectorise.
    /// </summary>
    public void ApplyToRows(float[] input, int inStart, float[] output, int outStart, int width)
    {
        for (int i = 0; i < _first.Length; i++)
        {
            var target = output.AsSpan(outStart + i * width, width);
            target.Clear();
            for (int k = 0; k < _count[i]; k++)
            {
                var source = input.AsSpan(inStart + (_first[i] + k) * width, width);
                AddScaled(target, source, _weights[i * _stride + k]);
            }
        }
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; x <= target.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                var sum = new Vector<float>(target[x..]) + (w * new Vector<float>(source[x..]));
                sum.CopyTo(target[x..]);
            }
        }
        for (; x < target.Length; x++) target[x] += weight * source[x];
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
