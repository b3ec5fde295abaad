using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan.Data;

/// <summary>
/// A batch in managed memory, N × C × H × W, values in [-1, 1]. Loader threads build these;
/// tensors are made only by <see cref="ToTensorA"/> and <see cref="ToTensorB"/>, on the thread
/// that calls them, so they land in that thread's dispose scope.
/// </summary>
public sealed class HostBatch
{
    internal HostBatch(float[] a, float[]? b, int count, int channelsA, int channelsB, int height,
        int width, IReadOnlyList<string> sources, IReadOnlyList<int> indices)
    {
        A = a;
        B = b;
        Count = count;
        ChannelsA = channelsA;
        ChannelsB = channelsB;
        Height = height;
        Width = width;
        Sources = sources;
        Indices = indices;
    }

    /// <summary>Inputs, Count × ChannelsA × Height × Width.</summary>
    public float[] A { get; }

    /// <summary>Targets, Count × ChannelsB × Height × Width, or null without targets.</summary>
    public float[]? B { get; }

    /// <summary>Examples in the batch (N).</summary>
    public int Count { get; }

    /// <summary>Channels of A: 1 or 3.</summary>
    public int ChannelsA { get; }

    /// <summary>Channels of B: 1 or 3, or 0 when <see cref="B"/> is null.</summary>
    public int ChannelsB { get; }

    /// <summary>Rows of every image.</summary>
    public int Height { get; }

    /// <summary>Columns of every image.</summary>
    public int Width { get; }

    /// <summary>Path or name of each example, in batch order.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Dataset index of each example, in batch order.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>A as a float32 CPU tensor [N, C_A, H, W], owned by the caller's dispose scope.</summary>
    public Tensor ToTensorA() => torch.tensor(A, [Count, ChannelsA, Height, Width]);

    /// <summary>B as a float32 CPU tensor [N, C_B, H, W], owned by the caller's dispose scope.</summary>
    /// <exception cref="InvalidOperationException">The dataset has no targets.</exception>
    public Tensor ToTensorB()
    {
        if (B is null)
        {
            throw new InvalidOperationException(
                "This batch has no B images: its dataset holds inputs only (Layout Single).");
        }
        return torch.tensor(B, [Count, ChannelsB, Height, Width]);
    }
}
