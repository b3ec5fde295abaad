namespace BicycleGan.Checkpoints;

/// <summary>
/// Replaces a file so that a crash at any moment leaves either the complete old file or the
/// complete new one, never a torn mix: the bytes go to a temporary file in the same folder,
/// are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes.
    /// If <paramref name="write"/> throws, the old file is untouched and the exception
    /// propagates.
    /// </summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="write">Writes the whole new content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"The path '{path}' names no file.", nameof(path));

        // Same folder, so the final rename never crosses a file system and stays atomic.
        string temporary = Path.Combine(
            folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(
                temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        // Without this the rename itself may be lost in a power cut, leaving the old file.
        NativeFileSystem.SyncDirectory(folder);
    }

    /// <summary>Creates or replaces <paramref name="path"/> holding <paramref name="bytes"/>.
    /// </summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }
}
