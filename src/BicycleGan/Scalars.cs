using System.Collections.Concurrent;
using TorchSharp;

namespace BicycleGan;

/// <summary>
/// Scalars that live as long as the process. TorchSharp 0.107 turns a double operand into a
/// temporary Scalar that nothing keeps alive during the native call; a garbage collection
/// started by another thread (the data loader's) can then finalize it while libtorch still
/// reads it, which corrupts results or fails with "toFloat: Expected false to be true" at
/// random. Every constant our code hands to libtorch comes from here instead.
/// </summary>
internal static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();

    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());
}
