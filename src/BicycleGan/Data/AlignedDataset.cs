using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// pix2pix's aligned layout: every image under root/&lt;Phase&gt; holds A on the left half and
/// B on the right half (A|B), so its width must be even.
/// </summary>
public sealed class AlignedDataset : IPairedDataset
{
    private readonly string _folder;
    private readonly string[] _files;
    private readonly DataOptions _options;
    private readonly PairTransform _transform;

    /// <summary>Lists the split; files are decoded only by <see cref="Load"/>.</summary>
    /// <exception cref="DatasetException">The split folder is missing or holds no images.</exception>
    public AlignedDataset(string root, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _transform = new PairTransform(options);
        _folder = DatasetFolder.Split(root, options.Phase);
        _files = DatasetFolder.RequireImages(_folder, "Aligned split");
    }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public string Describe(int index) => Path.Combine(_folder, _files[index]);

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug)
    {
        string path = Describe(index);
        HostImage both = ImageCodec.Decode(path, 3, _options.MaxPixels);
        if (both.Width % 2 != 0)
        {
            throw new BadImageException(path, $"is {both.Width} pixels wide; an aligned A|B image "
                + "needs an even width to split into two halves (Layout Aligned).");
        }
        var (a, b) = ImageOps.SplitHalves(both);
        return _transform.Apply(a, b, aug, path);
    }
}
