namespace BicycleGan.Data;

/// <summary>
/// One image in managed memory, channel-major (C × H × W), values in [-1, 1]. Made by workers
/// without touching TorchSharp, whose dispose scopes are per thread.
/// </summary>
public sealed class HostImage
{
    /// <summary>Wraps <paramref name="data"/> (not copied); its length must be C × H × W.</summary>
    public HostImage(float[] data, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (channels < 1 || height < 1 || width < 1)
        {
            throw new ArgumentException(
                $"An image needs positive sizes, not {channels}×{height}×{width}.", nameof(channels));
        }
        if (data.Length != (long)channels * height * width)
        {
            throw new ArgumentException($"The data holds {data.Length} values but "
                + $"{channels}×{height}×{width} needs {(long)channels * height * width}.", nameof(data));
        }
        Data = data;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Pixels, channel-major: value (c, y, x) is at (c × H + y) × W + x.</summary>
    public float[] Data { get; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Value at channel <paramref name="c"/>, row <paramref name="y"/>, column
    /// <paramref name="x"/>.</summary>
    public float this[int c, int y, int x] => Data[((c * Height) + y) * Width + x];
}
