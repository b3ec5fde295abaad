using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>Bit-exact tensor comparisons: same dtype, same shape, same bytes.</summary>
internal static class TensorAssert
{
    public static void Identical(Tensor expected, Tensor actual, string name = "")
    {
        Assert.True(
            expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, not {expected.dtype}");
        Assert.Equal(expected.shape, actual.shape);
        using Tensor left = expected.contiguous();
        using Tensor right = actual.contiguous();
        Assert.True(left.bytes.SequenceEqual(right.bytes), $"{name}: the values differ");
    }
}
