using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Moves the raw little-endian bytes of CPU tensors to and from streams, in chunks, so tensors
/// over 2 GB (beyond one span) and streams that return short reads both work.
/// </summary>
internal static class TensorBytes
{
    private const long ChunkBytes = 1 << 24;

    /// <summary>Fills the contiguous CPU tensor <paramref name="destination"/>.</summary>
    /// <exception cref="EndOfStreamException">The stream ends first.</exception>
    internal static void ReadInto(Stream source, Tensor destination)
    {
        foreach (Tensor chunk in Chunks(destination))
        {
            using (chunk)
            {
                source.ReadExactly(chunk.bytes);
            }
        }
    }

    /// <summary>Writes the bytes of <paramref name="tensor"/> in row-major order.</summary>
    internal static void Write(Stream destination, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        Tensor contiguous = tensor.detach().cpu().contiguous();
        foreach (Tensor chunk in Chunks(contiguous))
        {
            destination.Write(chunk.bytes);
        }
    }

    /// <summary>Checks the machine stores numbers as every format here does.</summary>
    internal static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(
                "Checkpoint files store little-endian numbers and this machine is big-endian.");
        }
    }

    private static IEnumerable<Tensor> Chunks(Tensor tensor)
    {
        long count = tensor.numel();
        if (count == 0) yield break;
        long perChunk = Math.Max(1, ChunkBytes / tensor.ElementSize);
        using Tensor flat = tensor.view(-1);
        for (long start = 0; start < count; start += perChunk)
        {
            yield return flat.narrow(0, start, Math.Min(perChunk, count - start));
        }
    }
}
