using System.Buffers;
using System.Runtime.InteropServices;
using BicycleGan.Options;
using SkiaSharp;

namespace BicycleGan.Data;

/// <summary>
/// The only place images are decoded or encoded. Decoding turns PNG, JPEG, BMP or WebP into
/// C × H × W floats in [-1, 1] (value = byte / 127.5 − 1); encoding is the exact inverse, so a
/// PNG decoded and encoded again is byte-for-byte the same picture.
/// </summary>
public static class ImageCodec
{
    private static readonly SKEncodedImageFormat[] Supported =
    [
        SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg,
        SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Webp,
    ];

    // byte → [-1, 1] once, instead of a division per pixel.
    private static readonly float[] ByteToUnit = BuildByteTable();

    /// <summary>File extensions (lower case, with the dot) that datasets treat as images.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>([".png", ".jpg", ".jpeg", ".bmp", ".webp"], StringComparer.Ordinal);

    /// <summary>True when <paramref name="path"/> ends in one of <see cref="Extensions"/>.</summary>
    public static bool HasImageExtension(string path) =>
        Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Decodes <paramref name="path"/> to <paramref name="channels"/> (1 = grayscale with PIL's
    /// luma weights, 3 = RGB; alpha is dropped). Files whose header declares more than
    /// <paramref name="maxPixels"/> pixels are refused before their pixels are decoded.
    /// </summary>
    /// <exception cref="BadImageException">The file is missing, empty, truncated, not a supported
    /// image, or too large.</exception>
    public static HostImage Decode(string path, int channels = 3,
        long maxPixels = DataOptions.DefaultMaxPixels)
    {
        return Decode(ReadFile(path, maxPixels), path, channels, maxPixels);
    }

    /// <summary>As <see cref="Decode(string, int, long)"/>, for bytes already in memory.</summary>
    /// <param name="bytes">The encoded file.</param>
    /// <param name="name">Path or name used in error messages.</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="maxPixels">Largest width × height accepted.</param>
    public static HostImage Decode(byte[] bytes, string name, int channels = 3,
        long maxPixels = DataOptions.DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 or 3.");
        if (bytes.Length == 0) throw new BadImageException(name, "is empty (zero bytes).");

        // The codec takes ownership of the stream, also when it fails to open.
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var created);
        if (codec is null)
        {
            string why = created == SKCodecResult.IncompleteInput
                ? "is truncated: it ends inside the image header."
                : "is not an image that can be read (PNG, JPEG, BMP or WebP expected).";
            throw new BadImageException(name, why);
        }
        if (Array.IndexOf(Supported, codec.EncodedFormat) < 0)
        {
            throw new BadImageException(name,
                $"is a {codec.EncodedFormat} image; only PNG, JPEG, BMP and WebP are supported.");
        }
        CheckSize(name, codec.Info.Width, codec.Info.Height, maxPixels);
        return DecodePixels(codec, name, channels);
    }

    /// <summary>
    /// Encodes a C × H × W image in [-1, 1] as PNG (8-bit gray for 1 channel, RGB for 3). Each
    /// value maps to round((v + 1) × 127.5) clamped to [0, 255]; NaN becomes 0.
    /// </summary>
    public static byte[] EncodePng(HostImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException(
                $"Only 1- or 3-channel images can be saved as PNG, not {image.Channels}.", nameof(image));
        }
        bool gray = image.Channels == 1;
        var info = new SKImageInfo(image.Width, image.Height,
            gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        byte[] pixels = gray ? ToGrayBytes(image) : ToRgbaBytes(image);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var encoded = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException("SkiaSharp failed to encode a PNG.");
            return encoded.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>Writes <see cref="EncodePng"/>'s bytes to <paramref name="path"/>.</summary>
    public static void SavePng(HostImage image, string path) => File.WriteAllBytes(path, EncodePng(image));

    /// <summary>Maps a value in [-1, 1] to the byte <see cref="EncodePng"/> would store.</summary>
    public static byte ToByte(float value)
    {
        if (float.IsNaN(value)) return 0;
        float scaled = MathF.Round((value + 1f) * 127.5f, MidpointRounding.AwayFromZero);
        return (byte)Math.Clamp(scaled, 0f, 255f);
    }

    /// <summary>Maps a byte to [-1, 1]: b / 127.5 − 1.</summary>
    public static float FromByte(byte value) => ByteToUnit[value];

    private static byte[] ReadFile(string path, long maxPixels)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            // No image within the pixel limit needs more bytes than raw RGBA plus metadata.
            long limit = maxPixels * 4 + (1 << 20);
            if (stream.Length > limit)
            {
                throw new BadImageException(path,
                    $"is {stream.Length} bytes, more than an image within {maxPixels} pixels needs.");
            }
            byte[] bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BadImageException(path, "does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadImageException(path, $"could not be read: {e.Message}", e);
        }
    }

    private static void CheckSize(string name, int width, int height, long maxPixels)
    {
        if (width < 1 || height < 1)
            throw new BadImageException(name, $"declares an empty size of {width}×{height} pixels.");
        long pixels = (long)width * height;
        if (pixels > maxPixels)
        {
            throw new BadImageException(name, $"declares {width}×{height} = {pixels} pixels, more than "
                + $"the limit of {maxPixels} (MaxPixels); it was not decoded.");
        }
    }

    private static HostImage DecodePixels(SKCodec codec, string name, int channels)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height,
            SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.BytesSize64 > Array.MaxLength)
        {
            throw new BadImageException(name,
                $"is {info.Width}×{info.Height}, too large to decode in memory.");
        }
        // The RGBA scratch is pooled: workers decode one file after another, and a fresh
        // megabyte-sized array per file would land on the large-object heap every time.
        byte[] rgba = ArrayPool<byte>.Shared.Rent((int)info.BytesSize64);
        try
        {
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            SKCodecResult result;
            try
            {
                result = codec.GetPixels(info, handle.AddrOfPinnedObject());
            }
            finally
            {
                handle.Free();
            }
            return result switch
            {
                SKCodecResult.Success => ToHostImage(rgba, info.Width, info.Height, channels),
                // Skia fills the missing rows and reports it; a half-grey picture must not train.
                SKCodecResult.IncompleteInput =>
                    throw new BadImageException(name, "is truncated: the data ends before the last row."),
                _ => throw new BadImageException(name, $"could not be decoded ({result})."),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static HostImage ToHostImage(byte[] rgba, int width, int height, int channels)
    {
        int plane = width * height;
        float[] data = new float[channels * plane];
        if (channels == 3)
        {
            for (int i = 0; i < plane; i++)
            {
                data[i] = ByteToUnit[rgba[4 * i]];
                data[plane + i] = ByteToUnit[rgba[4 * i + 1]];
                data[2 * plane + i] = ByteToUnit[rgba[4 * i + 2]];
            }
        }
        else
        {
            for (int i = 0; i < plane; i++)
                data[i] = ByteToUnit[Luma(rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2])];
        }
        return new HostImage(data, channels, height, width);
    }

    /// <summary>ITU-R 601 luma in 16-bit fixed point, as PIL's convert("L") computes it.</summary>
    internal static byte Luma(int r, int g, int b) =>
        (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    private static byte[] ToRgbaBytes(HostImage image)
    {
        int plane = image.Width * image.Height;
        float[] d = image.Data;
        byte[] rgba = new byte[4 * plane];
        for (int i = 0; i < plane; i++)
        {
            rgba[4 * i] = ToByte(d[i]);
            rgba[4 * i + 1] = ToByte(d[plane + i]);
            rgba[4 * i + 2] = ToByte(d[2 * plane + i]);
            rgba[4 * i + 3] = 255;
        }
        return rgba;
    }

    private static byte[] ToGrayBytes(HostImage image)
    {
        byte[] gray = new byte[image.Data.Length];
        for (int i = 0; i < gray.Length; i++) gray[i] = ToByte(image.Data[i]);
        return gray;
    }

    private static float[] BuildByteTable()
    {
        float[] table = new float[256];
        for (int b = 0; b < 256; b++) table[b] = b / 127.5f - 1f;
        return table;
    }
}
