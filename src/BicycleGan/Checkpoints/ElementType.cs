using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// One tensor element type as the three formats spell it: libtorch's scalar type, the
/// safetensors dtype string and PyTorch's legacy storage class (the name its pickles use).
/// </summary>
internal sealed record ElementType(
    ScalarType Type, string SafeTensorsName, string StorageName, int Size)
{
    internal static readonly IReadOnlyList<ElementType> All =
    [
        new(ScalarType.Float32, "F32", "FloatStorage", 4),
        new(ScalarType.Float64, "F64", "DoubleStorage", 8),
        new(ScalarType.Float16, "F16", "HalfStorage", 2),
        new(ScalarType.BFloat16, "BF16", "BFloat16Storage", 2),
        new(ScalarType.Int64, "I64", "LongStorage", 8),
        new(ScalarType.Int32, "I32", "IntStorage", 4),
        new(ScalarType.Int16, "I16", "ShortStorage", 2),
        new(ScalarType.Int8, "I8", "CharStorage", 1),
        new(ScalarType.Byte, "U8", "ByteStorage", 1),
        new(ScalarType.Bool, "BOOL", "BoolStorage", 1),
    ];

    internal static ElementType? FromScalarType(ScalarType type) =>
        All.FirstOrDefault(e => e.Type == type);

    internal static ElementType? FromSafeTensorsName(string name) =>
        All.FirstOrDefault(e => e.SafeTensorsName == name);

    internal static ElementType? FromStorageName(string name) =>
        All.FirstOrDefault(e => e.StorageName == name);

    /// <summary>The type of <paramref name="tensor"/>; throws if no format stores it.</summary>
    internal static ElementType Of(Tensor tensor, string key)
    {
        return FromScalarType(tensor.dtype) ?? throw new ArgumentException(
            $"The tensor '{key}' has element type {tensor.dtype}, which checkpoints do not store; "
            + "use one of " + string.Join(", ", All.Select(e => e.Type)) + ".",
            nameof(tensor));
    }
}
