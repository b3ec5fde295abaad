namespace BicycleGan.Data;

/// <summary>
/// One example after preprocessing: input A and target B share height and width, values in
/// [-1, 1], channel-major. B is null for datasets without targets (the Single layout).
/// </summary>
public sealed class PairedImage
{
    /// <summary>Wraps the arrays (not copied).</summary>
    public PairedImage(HostImage a, HostImage? b, string source)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (b is not null && (b.Height != a.Height || b.Width != a.Width))
        {
            throw new ArgumentException($"A is {a.Width}×{a.Height} but B is {b.Width}×{b.Height}; "
                + "a pair must share its size.", nameof(b));
        }
        A = a.Data;
        B = b?.Data;
        ChannelsA = a.Channels;
        ChannelsB = b?.Channels ?? 0;
        Height = a.Height;
        Width = a.Width;
        Source = source;
    }

    /// <summary>Input, ChannelsA × Height × Width.</summary>
    public float[] A { get; }

    /// <summary>Target, ChannelsB × Height × Width, or null when the dataset has no targets.</summary>
    public float[]? B { get; }

    /// <summary>1 or 3.</summary>
    public int ChannelsA { get; }

    /// <summary>1 or 3; 0 when <see cref="B"/> is null.</summary>
    public int ChannelsB { get; }

    /// <summary>Rows of both images.</summary>
    public int Height { get; }

    /// <summary>Columns of both images.</summary>
    public int Width { get; }

    /// <summary>The file path, or the built-in example's name.</summary>
    public string Source { get; }
}
