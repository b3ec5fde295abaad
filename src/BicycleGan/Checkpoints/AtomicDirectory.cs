namespace BicycleGan.Checkpoints;

/// <summary>
/// Replaces a whole checkpoint folder so that a complete one exists at every instant. The new
/// folder is filled beside the target, marked with a <see cref="CompleteMarker"/> file written
/// last, and swapped in by rename. Readers call <see cref="Resolve"/>, which ignores half-made
/// folders and finds the old one if a crash fell between the two renames of the fallback swap.
/// </summary>
/// <remarks>One writer per target folder at a time; concurrent readers are fine.</remarks>
public static class AtomicDirectory
{
    /// <summary>The file whose presence says a folder was filled to the end.</summary>
    public const string CompleteMarker = "COMPLETE";

    private const string StagingSuffix = ".staging";
    private const string RetiredSuffix = ".retired";

    /// <summary>
    /// Creates or replaces the folder <paramref name="path"/> with what <paramref name="fill"/>
    /// writes into the empty folder it is given. If <paramref name="fill"/> throws, the old
    /// folder stays as it was and the half-made one is deleted.
    /// </summary>
    public static void Replace(string path, Action<string> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        (string target, string parent, string name) = Split(path);
        Directory.CreateDirectory(parent);
        RemoveLeftovers(target, parent, name);

        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}{StagingSuffix}");
        Directory.CreateDirectory(staging);
        try
        {
            fill(staging);
            SyncTree(staging);
            string marker = Path.Combine(staging, CompleteMarker);
            AtomicFile.WriteAllBytes(marker, "complete\n"u8.ToArray());
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
        SwapIn(staging, target, parent, name);
    }

    /// <summary>True when <paramref name="directory"/> exists and was filled to the end.</summary>
    public static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, CompleteMarker));

    /// <summary>
    /// The complete folder a reader should use for <paramref name="path"/>: the folder itself
    /// when complete, else the old folder a crashed replacement left aside, else null.
    /// </summary>
    public static string? Resolve(string path)
    {
        (string target, string parent, string name) = Split(path);
        if (IsComplete(target)) return target;
        if (!Directory.Exists(parent)) return null;
        return Siblings(parent, name, RetiredSuffix).FirstOrDefault(IsComplete);
    }

    private static void SwapIn(string staging, string target, string parent, string name)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            NativeFileSystem.SyncDirectory(parent);
            return;
        }
        if (NativeFileSystem.TryExchange(staging, target))
        {
            // The staging name now holds the old folder.
            NativeFileSystem.SyncDirectory(parent);
            Directory.Delete(staging, recursive: true);
            return;
        }

        // No atomic exchange here: between these two renames the old folder is complete under
        // its retired name, which Resolve finds.
        string retired = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}{RetiredSuffix}");
        Directory.Move(target, retired);
        Directory.Move(staging, target);
        NativeFileSystem.SyncDirectory(parent);
        Directory.Delete(retired, recursive: true);
    }

    /// <summary>
    /// Cleans up after a crashed replacement: half-made folders go; a retired folder is moved
    /// back if the target is missing or incomplete, otherwise it goes too.
    /// </summary>
    private static void RemoveLeftovers(string target, string parent, string name)
    {
        foreach (string staging in Siblings(parent, name, StagingSuffix))
        {
            Directory.Delete(staging, recursive: true);
        }
        foreach (string retired in Siblings(parent, name, RetiredSuffix))
        {
            if (!IsComplete(target) && IsComplete(retired))
            {
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                Directory.Move(retired, target);
                NativeFileSystem.SyncDirectory(parent);
            }
            else
            {
                Directory.Delete(retired, recursive: true);
            }
        }
    }

    private static IEnumerable<string> Siblings(string parent, string name, string suffix) =>
        Directory.EnumerateDirectories(parent, $".{name}.*{suffix}")
            .Where(d => Path.GetFileName(d).Length == name.Length + 34 + suffix.Length)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Flushes every file the fill wrote, and the folders holding them.</summary>
    private static void SyncTree(string root)
    {
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
            stream.Flush(flushToDisk: true);
        }
        var folders = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories);
        foreach (string folder in folders)
        {
            NativeFileSystem.SyncDirectory(folder);
        }
        NativeFileSystem.SyncDirectory(root);
    }

    private static (string Target, string Parent, string Name) Split(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string? parent = Path.GetDirectoryName(target);
        string name = Path.GetFileName(target);
        if (parent is null || name.Length == 0)
        {
            throw new ArgumentException(
                $"The path '{path}' names no folder that can be replaced.", nameof(path));
        }
        return (target, parent, name);
    }
}
