namespace BicycleGan.Data;

/// <summary>Finding a split folder and its images, with errors that name the folder.</summary>
internal static class DatasetFolder
{
    /// <summary>root/phase, which must exist.</summary>
    public static string Split(string root, string phase)
    {
        if (!Directory.Exists(root))
            throw new DatasetException($"Dataset folder '{root}' does not exist.");
        string split = Path.Combine(root, phase);
        if (!Directory.Exists(split))
        {
            throw new DatasetException($"Dataset folder '{root}' has no '{phase}' split: "
                + $"'{split}' does not exist (Phase selects the split folder).");
        }
        return split;
    }

    /// <summary>
    /// Image files under <paramref name="folder"/> (recursively, hidden files skipped), as paths
    /// relative to it in ordinal order, so example indices never depend on the file system.
    /// </summary>
    public static string[] RelativeImages(string folder)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            IgnoreInaccessible = false,
        };
        string[] files = Directory.EnumerateFiles(folder, "*", options)
            .Where(ImageCodec.HasImageExtension)
            .Select(path => Path.GetRelativePath(folder, path))
            .Where(relative => !relative.Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>As <see cref="RelativeImages"/>, but an empty folder is an error.</summary>
    public static string[] RequireImages(string folder, string what)
    {
        string[] files = RelativeImages(folder);
        if (files.Length == 0)
        {
            throw new DatasetException($"{what} folder '{folder}' holds no images "
                + $"({string.Join(", ", ImageCodec.Extensions)} expected).");
        }
        return files;
    }
}
