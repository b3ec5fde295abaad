using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// pix2pix's aligned layout: every image under root/&lt;Phase&gt; holds A on the left half and
/// B on the right half (A|B), so its width must be even.
/// </summary>
public sealed class AlignedDataset : SplitFolderDataset
{
    /// <summary>Lists the split; files are decoded only by <see cref="Load"/>.</summary>
    /// <exception cref="DatasetException">The split folder is missing or holds no images.</exception>
    public AlignedDataset(string root, DataOptions options) : base(root, options, "Aligned split")
    {
    }

    /// <inheritdoc/>
    public override PairedImage Load(int index, AugmentParams aug)
    {
        string path = Describe(index);
        HostImage both = ImageCodec.Decode(path, 3, Options.MaxPixels);
        if (both.Width % 2 != 0)
        {
            throw new BadImageException(path, $"is {both.Width} pixels wide; an aligned A|B image "
                + "needs an even width to split into two halves (Layout Aligned).");
        }
        var (a, b) = ImageOps.SplitHalves(both);
        return Transform.Apply(a, b, aug, path);
    }
}
