using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan;

/// <summary>
/// Scalars that live as long as the process. TorchSharp 0.107 turns a double operand into a
/// temporary Scalar that nothing keeps alive during the native call; a garbage collection
/// started by another thread (the data loader's) can then finalize it while libtorch still
/// reads it, which corrupts results or fails with "toFloat: Expected false to be true" at
/// random. Every constant our code hands to libtorch comes from here instead, and sums go
/// through <see cref="Add(Tensor, Tensor)"/>: TorchSharp's <c>a + b</c>, <c>add(Scalar)</c> and
/// <c>square()</c> make such a temporary too (the implicit alpha = 1 and exponent 2).
/// </summary>
internal static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();
    private static readonly ConcurrentDictionary<long, Scalar> IntegerCache = new();

    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());

    /// <summary>An integer Scalar, for integer tensors (a double one cannot update them in place).</summary>
    public static Scalar OfInteger(long value) => IntegerCache.GetOrAdd(value, v => v.ToScalar());

    /// <summary>a + b.</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, Of(1));

    /// <summary>a + value.</summary>
    public static Tensor Add(Tensor a, double value) => a.add(Of(value), Of(1));
}
