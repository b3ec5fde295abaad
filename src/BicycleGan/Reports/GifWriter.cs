using System.Buffers.Binary;
using System.Text;
using BicycleGan.Checkpoints;
using BicycleGan.Data;

namespace BicycleGan.Reports;

/// <summary>
/// Writes frames as a looping animated GIF (GIF89a) with one global 256-entry palette: exact
/// greys when every frame is grayscale, otherwise a fixed 6 × 7 × 6 colour cube (252 colours;
/// green gets the extra level because the eye resolves it best). Colours are rounded to the
/// nearest level without dithering, so flat regions stay flat from frame to frame.
/// </summary>
public static class GifWriter
{
    private const int RedLevels = 6;
    private const int GreenLevels = 7;
    private const int BlueLevels = 6;
    private const int PaletteSize = 256;
    private const int MaxSubBlock = 255;

    /// <summary>
    /// Encodes <paramref name="frames"/> (all C × H × W in [-1, 1], C 1 or 3, one size) as GIF
    /// bytes.
    /// </summary>
    /// <param name="delay">Time each frame is shown, in hundredths of a second (0 to 65535;
    /// browsers show delays under 2 as 10). Default 10.</param>
    /// <param name="loops">Times the animation repeats; 0 (default) loops forever.</param>
    public static byte[] Encode(IReadOnlyList<HostImage> frames, int delay = 10, int loops = 0)
    {
        var (width, height, gray) = Check(frames, delay, loops);
        using var stream = new MemoryStream();
        stream.Write("GIF89a"u8);
        WriteScreen(stream, width, height, gray);
        WriteLoop(stream, loops);
        foreach (var frame in frames) WriteFrame(stream, frame, delay, gray);
        stream.WriteByte(0x3B);
        return stream.ToArray();
    }

    /// <summary>Writes <see cref="Encode"/>'s bytes to <paramref name="path"/> atomically.
    /// </summary>
    public static void Save(IReadOnlyList<HostImage> frames, string path, int delay = 10,
        int loops = 0) =>
        AtomicFile.WriteAllBytes(path, Encode(frames, delay, loops));

    private static (int Width, int Height, bool Gray) Check(IReadOnlyList<HostImage> frames,
        int delay, int loops)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
            throw new ArgumentException("An animation needs at least one frame.", nameof(frames));
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(loops);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(loops, ushort.MaxValue);
        var first = frames[0];
        if (first.Width > ushort.MaxValue || first.Height > ushort.MaxValue)
        {
            throw new ArgumentException(
                $"GIF sides end at 65535 px; the frames are {first.Width}×{first.Height}.");
        }
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (frame.Width != first.Width || frame.Height != first.Height)
            {
                throw new ArgumentException($"Frame {i} is {frame.Width}×{frame.Height} px but "
                    + $"frame 0 is {first.Width}×{first.Height}; an animation's frames share one "
                    + "size.",
                    nameof(frames));
            }
            if (frame.Channels is not (1 or 3))
            {
                throw new ArgumentException(
                    $"Frame {i} has {frame.Channels} channels; 1 or 3 are supported.");
            }
        }
        return (first.Width, first.Height, frames.All(f => f.Channels == 1));
    }

    private static void WriteScreen(Stream stream, int width, int height, bool gray)
    {
        WriteUInt16(stream, width);
        WriteUInt16(stream, height);
        // Global table present, 8 bits of colour resolution, unsorted, 2^(7 + 1) entries.
        stream.WriteByte(0b1111_0111);
        stream.WriteByte(0);
        stream.WriteByte(0);
        stream.Write(gray ? GrayPalette() : CubePalette());
    }

    private static void WriteLoop(Stream stream, int loops)
    {
        stream.Write([0x21, 0xFF, 11]);
        stream.Write(Encoding.ASCII.GetBytes("NETSCAPE2.0"));
        stream.Write([3, 1]);
        WriteUInt16(stream, loops);
        stream.WriteByte(0);
    }

    private static void WriteFrame(Stream stream, HostImage frame, int delay, bool gray)
    {
        // Graphic control: disposal 1 (leave the frame in place), no transparency.
        stream.Write([0x21, 0xF9, 4, 0b0000_0100]);
        WriteUInt16(stream, delay);
        stream.Write([0, 0]);

        // Image descriptor: the whole screen, no local palette, not interlaced.
        stream.WriteByte(0x2C);
        WriteUInt16(stream, 0);
        WriteUInt16(stream, 0);
        WriteUInt16(stream, frame.Width);
        WriteUInt16(stream, frame.Height);
        stream.WriteByte(0);

        stream.WriteByte(GifLzw.MinCodeSize);
        byte[] data = GifLzw.Compress(gray ? GrayIndices(frame) : CubeIndices(frame));
        for (int offset = 0; offset < data.Length; offset += MaxSubBlock)
        {
            int length = Math.Min(MaxSubBlock, data.Length - offset);
            stream.WriteByte((byte)length);
            stream.Write(data, offset, length);
        }
        stream.WriteByte(0);
    }

    private static byte[] GrayIndices(HostImage frame)
    {
        byte[] indices = new byte[frame.Width * frame.Height];
        for (int i = 0; i < indices.Length; i++) indices[i] = ImageCodec.ToByte(frame.Data[i]);
        return indices;
    }

    private static byte[] CubeIndices(HostImage frame)
    {
        int plane = frame.Width * frame.Height;
        // A grayscale frame among colour ones is drawn with r = g = b.
        int greenOffset = frame.Channels == 3 ? plane : 0;
        int blueOffset = frame.Channels == 3 ? 2 * plane : 0;
        byte[] indices = new byte[plane];
        for (int i = 0; i < plane; i++)
        {
            int r = Level(ImageCodec.ToByte(frame.Data[i]), RedLevels);
            int g = Level(ImageCodec.ToByte(frame.Data[greenOffset + i]), GreenLevels);
            int b = Level(ImageCodec.ToByte(frame.Data[blueOffset + i]), BlueLevels);
            indices[i] = (byte)((r * GreenLevels + g) * BlueLevels + b);
        }
        return indices;
    }

    /// <summary>The nearest of <paramref name="levels"/> evenly spaced levels of 0 … 255.</summary>
    internal static int Level(byte value, int levels) => (value * (levels - 1) + 127) / 255;

    /// <summary>The byte value of level <paramref name="level"/> of <paramref name="levels"/>.
    /// </summary>
    internal static byte LevelValue(int level, int levels) =>
        (byte)((level * 255 + (levels - 1) / 2) / (levels - 1));

    /// <summary>The RGB of colour-cube entry <paramref name="index"/>; black past the cube.
    /// </summary>
    internal static (byte R, byte G, byte B) CubeColour(int index)
    {
        if (index >= RedLevels * GreenLevels * BlueLevels) return (0, 0, 0);
        int b = index % BlueLevels;
        int g = index / BlueLevels % GreenLevels;
        int r = index / (BlueLevels * GreenLevels);
        return (LevelValue(r, RedLevels), LevelValue(g, GreenLevels), LevelValue(b, BlueLevels));
    }

    private static byte[] CubePalette()
    {
        byte[] palette = new byte[3 * PaletteSize];
        for (int i = 0; i < PaletteSize; i++)
            (palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]) = CubeColour(i);
        return palette;
    }

    private static byte[] GrayPalette()
    {
        byte[] palette = new byte[3 * PaletteSize];
        for (int i = 0; i < 3 * PaletteSize; i++) palette[i] = (byte)(i / 3);
        return palette;
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        stream.Write(bytes);
    }
}
