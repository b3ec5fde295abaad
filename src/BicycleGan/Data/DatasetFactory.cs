using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>Opens a dataset from a folder or a <c>builtin:NAME</c> source.</summary>
public static class DatasetFactory
{
    /// <summary>Prefix that selects a built-in dataset instead of a folder.</summary>
    public const string BuiltinPrefix = "builtin:";

    /// <summary>
    /// <paramref name="source"/> is a dataset folder, read per <see cref="DataOptions.Layout"/>,
    /// or <c>builtin:NAME</c> (see <see cref="BuiltinDatasets"/>), generated from
    /// <paramref name="seed"/>. Folders ignore the seed: their content is on disk.
    /// </summary>
    public static IPairedDataset Open(string source, DataOptions options, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(options);
        if (source.StartsWith(BuiltinPrefix, StringComparison.Ordinal))
            return BuiltinDatasets.Open(source[BuiltinPrefix.Length..], options, seed);
        return options.Validate().Layout switch
        {
            DatasetLayout.Aligned => new AlignedDataset(source, options),
            DatasetLayout.Paired => new PairedFolderDataset(source, options),
            DatasetLayout.Single => new SingleImageDataset(source, options),
            _ => throw new ArgumentException($"Layout {options.Layout} is not supported.", nameof(options)),
        };
    }
}
