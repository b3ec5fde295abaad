using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;

namespace BicycleGan.Data;

/// <summary>
/// A gzip-compressed IDX image file (the MNIST format): big-endian magic 0x00000803 (unsigned
/// bytes, three dimensions), then count, rows and columns, then count × rows × columns bytes.
/// Files are read once per process and shared, since every split of a dataset reuses them.
/// </summary>
internal sealed class IdxImages
{
    private const int Magic = 0x00000803;
    private static readonly ConcurrentDictionary<string, Lazy<IdxImages>> Cache =
        new(StringComparer.Ordinal);

    private IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    public int Count { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Image i occupies bytes [i × Rows × Columns, (i + 1) × Rows × Columns).</summary>
    public byte[] Pixels { get; }

    public static IdxImages Read(string path)
    {
        string key = Path.GetFullPath(path);
        var lazy = Cache.GetOrAdd(key, full => new Lazy<IdxImages>(() => ReadFile(full)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed read (file missing, say) must not be remembered once it is fixed.
            Cache.TryRemove(key, out _);
            throw;
        }
    }

    private static IdxImages ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        try
        {
            gzip.ReadExactly(header);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new DatasetException($"IDX file '{path}' is not gzip-compressed IDX data or ends "
                + "inside its 16-byte header.", e);
        }
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (magic != Magic)
        {
            throw new DatasetException($"IDX file '{path}' starts with magic 0x{magic:X8}; an image "
                + $"file of unsigned bytes must start with 0x{Magic:X8}.");
        }
        if (count < 1 || rows < 1 || columns < 1 || rows > 4096 || columns > 4096
            || (long)count * rows * columns > int.MaxValue)
        {
            throw new DatasetException($"IDX file '{path}' declares {count} images of {rows}×{columns}, "
                + "which is not a plausible image set.");
        }
        byte[] pixels = new byte[count * rows * columns];
        try
        {
            gzip.ReadExactly(pixels);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new DatasetException($"IDX file '{path}' is truncated: its header declares {count} "
                + $"images of {rows}×{columns} but the data ends early.", e);
        }
        return new IdxImages(count, rows, columns, pixels);
    }
}
