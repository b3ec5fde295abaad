using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// A dataset whose examples are the image files of one split folder, root/&lt;Phase&gt;, in sorted
/// order; subclasses say how one file becomes a pair.
/// </summary>
public abstract class SplitFolderDataset : IPairedDataset
{
    private readonly string _folder;
    private readonly string[] _files;

    /// <summary>Lists the split; files are decoded only by <see cref="Load"/>.</summary>
    /// <param name="what">How the split is named in errors, e.g. "Aligned split".</param>
    /// <exception cref="DatasetException">The split folder is missing or holds no images.</exception>
    private protected SplitFolderDataset(string root, DataOptions options, string what)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        Transform = new PairTransform(options);
        _folder = DatasetFolder.Split(root, options.Phase);
        _files = DatasetFolder.RequireImages(_folder, what);
    }

    private protected DataOptions Options { get; }

    private protected PairTransform Transform { get; }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public string Describe(int index) => Path.Combine(_folder, _files[index]);

    /// <inheritdoc/>
    public abstract PairedImage Load(int index, AugmentParams aug);
}
