namespace BicycleGan.Checkpoints;

// The few Python values a state-dict pickle can build. Scalars use .NET types (null for None,
// bool, long or BigInteger, double, string, byte[]); lists are List<object?>. Nothing here can
// run code: a "global" is only a name that the unpickler checked against its allow-list.

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A dict or OrderedDict, in insertion order; keys are checked by the reader.</summary>
internal sealed class PickleDict
{
    internal List<KeyValuePair<object?, object?>> Items { get; } = [];
}

/// <summary>An allow-listed module-level name such as torch._utils._rebuild_tensor_v2.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>One stored block of elements, named by its key in the file.</summary>
internal sealed record StorageRef(string Key, ElementType Type, long Numel);

/// <summary>
/// Elements <see cref="Offset"/> to <see cref="Offset"/> + <see cref="Numel"/> of a storage;
/// legacy files could save such views, newer ones always view the whole storage.
/// </summary>
internal sealed record StorageView(StorageRef Root, long Offset, long Numel);

/// <summary>A strided window on a storage, as _rebuild_tensor_v2 describes it.</summary>
internal sealed record TensorRef(StorageView Storage, long Offset, long[] Size, long[] Stride);
