using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// What a user may hand to sampling as input: one image, a folder of images, a dataset root
/// (its <see cref="DataOptions.Phase"/> split is read, as the official test script does), or
/// <c>builtin:NAME</c>. Unless the layout is given, images twice as wide as high are taken as
/// aligned A|B pairs (the ground truth is then known) and others as inputs alone.
/// </summary>
public static class InferenceInput
{
    /// <param name="layout">The user's explicit layout, or null to decide from the images.</param>
    /// <exception cref="DatasetException">Nothing usable is at <paramref name="input"/>.</exception>
    public static IPairedDataset Open(string input, DataOptions options, DatasetLayout? layout, int seed = 0)
    {
        if (input.StartsWith(DatasetFactory.BuiltinPrefix, StringComparison.Ordinal))
            return DatasetFactory.Open(input, options, seed);
        if (File.Exists(input))
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(input))!;
            var all = OpenFolder(folder, options, layout ?? Guess(input), seed);
            string wanted = Path.GetFullPath(input);
            int index = Enumerable.Range(0, all.Count)
                .FirstOrDefault(i => Path.GetFullPath(all.Describe(i)) == wanted, -1);
            if (index < 0)
                throw new DatasetException($"'{input}' is not an image this tool reads (PNG, JPEG, BMP, WebP).");
            return new SubsetDataset(all, [index]);
        }
        if (!Directory.Exists(input)) throw new DatasetException($"Input '{input}' does not exist.");
        bool isRoot = Directory.Exists(Path.Combine(input, options.Phase));
        string split = isRoot ? Path.Combine(input, options.Phase) : input;
        string? first = DatasetFolder.RelativeImages(split).Select(f => Path.Combine(split, f)).FirstOrDefault();
        if (first is null)
            throw new DatasetException($"Input folder '{input}' holds no images (and no '{options.Phase}' split).");
        return isRoot
            ? DatasetFactory.Open(input, Shaped(options, options.Phase, layout ?? Guess(first)), seed)
            : OpenFolder(input, options, layout ?? Guess(first), seed);
    }

    /// <summary>A plain folder of images, read as the split named like it of its parent folder.</summary>
    private static IPairedDataset OpenFolder(string folder, DataOptions options, DatasetLayout layout, int seed)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string parent = Path.GetDirectoryName(full) ?? full;
        return DatasetFactory.Open(parent, Shaped(options, Path.GetFileName(full), layout), seed);
    }

    private static DataOptions Shaped(DataOptions options, string phase, DatasetLayout layout) =>
        options with { Phase = phase, Layout = layout };

    private static DatasetLayout Guess(string image)
    {
        // Only the header is read; decoding (with its checks) happens when the example is loaded.
        using var codec = SkiaSharp.SKCodec.Create(image)
            ?? throw new BadImageException(image, "is not an image this tool reads (PNG, JPEG, BMP, WebP).");
        return codec.Info.Width == 2 * codec.Info.Height ? DatasetLayout.Aligned : DatasetLayout.Single;
    }
}
