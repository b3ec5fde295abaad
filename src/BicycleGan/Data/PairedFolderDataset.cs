using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Pairs kept in two folders, root/&lt;Phase&gt;/A and root/&lt;Phase&gt;/B, matched by file
/// name without extension (a.png in A pairs with a.jpg in B). Every file must have a partner.
/// </summary>
public sealed class PairedFolderDataset : IPairedDataset
{
    private const int ListedNames = 5;
    private readonly string _folderA;
    private readonly string _folderB;
    private readonly string[] _filesA;
    private readonly string[] _filesB;
    private readonly DataOptions _options;
    private readonly PairTransform _transform;

    /// <summary>Lists and matches both folders; files are decoded only by <see cref="Load"/>.</summary>
    /// <exception cref="DatasetException">A folder is missing or empty, or the names differ.</exception>
    public PairedFolderDataset(string root, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _transform = new PairTransform(options);
        string split = DatasetFolder.Split(root, options.Phase);
        _folderA = RequireFolder(split, "A");
        _folderB = RequireFolder(split, "B");
        string[] a = DatasetFolder.RequireImages(_folderA, "Paired A");
        string[] b = DatasetFolder.RequireImages(_folderB, "Paired B");
        var byStemB = IndexByStem(b, _folderB);
        var byStemA = IndexByStem(a, _folderA);
        CheckMatch(byStemA, byStemB);
        _filesA = a;
        _filesB = a.Select(name => byStemB[Stem(name)]).ToArray();
    }

    /// <inheritdoc/>
    public int Count => _filesA.Length;

    /// <inheritdoc/>
    public string Describe(int index) => Path.Combine(_folderA, _filesA[index]);

    /// <summary>The B file paired with example <paramref name="index"/>.</summary>
    public string DescribeB(int index) => Path.Combine(_folderB, _filesB[index]);

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug)
    {
        string pathA = Describe(index);
        HostImage a = ImageCodec.Decode(pathA, 3, _options.MaxPixels);
        HostImage b = ImageCodec.Decode(DescribeB(index), 3, _options.MaxPixels);
        return _transform.Apply(a, b, aug, pathA);
    }

    private static string RequireFolder(string split, string name)
    {
        string folder = Path.Combine(split, name);
        if (!Directory.Exists(folder))
        {
            throw new DatasetException($"Paired split '{split}' has no '{name}' folder; Layout Paired "
                + "expects A/ and B/ side by side, matched by file name.");
        }
        return folder;
    }

    private static string Stem(string relative) =>
        Path.Combine(Path.GetDirectoryName(relative) ?? "", Path.GetFileNameWithoutExtension(relative));

    private static Dictionary<string, string> IndexByStem(string[] files, string folder)
    {
        var byStem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            if (!byStem.TryAdd(Stem(file), file))
            {
                throw new DatasetException($"Folder '{folder}' holds both '{byStem[Stem(file)]}' and "
                    + $"'{file}'; names must be unique without their extension to be paired.");
            }
        }
        return byStem;
    }

    private void CheckMatch(Dictionary<string, string> a, Dictionary<string, string> b)
    {
        string[] onlyA = a.Keys.Where(k => !b.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        string[] onlyB = b.Keys.Where(k => !a.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        if (onlyA.Length == 0 && onlyB.Length == 0) return;
        throw new DatasetException($"Folders '{_folderA}' and '{_folderB}' do not hold the same "
            + $"file names: {Listing(onlyA, "A")}; {Listing(onlyB, "B")}.");
    }

    private static string Listing(string[] names, string side)
    {
        if (names.Length == 0) return $"every {side} file has a partner";
        string shown = string.Join(", ", names.Take(ListedNames));
        string more = names.Length > ListedNames ? $" and {names.Length - ListedNames} more" : "";
        return $"only in {side}: {shown}{more}";
    }
}
