using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Inputs without targets, for inference: every image under root/&lt;Phase&gt; is an A. The
/// folder holds inputs of the chosen direction as they are; nothing is split or swapped.
/// </summary>
public sealed class SingleImageDataset : SplitFolderDataset
{
    /// <summary>Lists the split; files are decoded only by <see cref="Load"/>.</summary>
    /// <exception cref="DatasetException">The split folder is missing or holds no images.</exception>
    public SingleImageDataset(string root, DataOptions options) : base(root, options, "Single split")
    {
    }

    /// <inheritdoc/>
    public override PairedImage Load(int index, AugmentParams aug)
    {
        string path = Describe(index);
        return Transform.Apply(ImageCodec.Decode(path, 3, Options.MaxPixels), null, aug, path);
    }
}
