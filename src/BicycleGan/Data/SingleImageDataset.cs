using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Inputs without targets, for inference: every image under root/&lt;Phase&gt; is an A. The
/// folder holds inputs of the chosen direction as they are; nothing is split or swapped.
/// </summary>
public sealed class SingleImageDataset : IPairedDataset
{
    private readonly string _folder;
    private readonly string[] _files;
    private readonly DataOptions _options;
    private readonly PairTransform _transform;

    /// <summary>Lists the split; files are decoded only by <see cref="Load"/>.</summary>
    /// <exception cref="DatasetException">The split folder is missing or holds no images.</exception>
    public SingleImageDataset(string root, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _transform = new PairTransform(options);
        _folder = DatasetFolder.Split(root, options.Phase);
        _files = DatasetFolder.RequireImages(_folder, "Single split");
    }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public string Describe(int index) => Path.Combine(_folder, _files[index]);

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug)
    {
        string path = Describe(index);
        return _transform.Apply(ImageCodec.Decode(path, 3, _options.MaxPixels), null, aug, path);
    }
}
