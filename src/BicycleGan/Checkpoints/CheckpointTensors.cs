using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Tensors read from a checkpoint file, owned by this object: disposing it frees every tensor
/// still in <see cref="Tensors"/>. They live on the CPU and belong to no dispose scope; to keep
/// one beyond this object, remove it from <see cref="Tensors"/> and dispose it yourself.
/// </summary>
public sealed class CheckpointTensors : IDisposable
{
    internal CheckpointTensors(
        Dictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name, in the order the file lists them.</summary>
    public Dictionary<string, Tensor> Tensors { get; }

    /// <summary>String pairs stored beside the tensors (safetensors only; else empty).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Frees every tensor still in <see cref="Tensors"/>.</summary>
    public void Dispose()
    {
        foreach (Tensor tensor in Tensors.Values) tensor.Dispose();
        Tensors.Clear();
    }

    /// <summary>Disposes <paramref name="tensors"/>; used when a read fails half-way.</summary>
    internal static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (Tensor tensor in tensors) tensor.Dispose();
    }
}
