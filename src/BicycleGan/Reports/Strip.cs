using BicycleGan.Checkpoints;
using BicycleGan.Data;

namespace BicycleGan.Reports;

/// <summary>
/// Frames side by side as one picture: the still, printable counterpart of an animation.
/// </summary>
public static class Strip
{
    /// <summary>
    /// One C × H × (ΣW + gaps) image of <paramref name="frames"/> left to right. All frames share
    /// their height; if any has 3 channels, grayscale frames are drawn as grey RGB.
    /// </summary>
    /// <param name="frames">At least one image, values in [-1, 1].</param>
    /// <param name="gap">White columns between frames, 0 (default) or more.</param>
    public static HostImage Compose(IReadOnlyList<HostImage> frames, int gap = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
            throw new ArgumentException("A strip needs at least one frame.", nameof(frames));
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        int height = frames[0].Height;
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].Height != height)
            {
                throw new ArgumentException($"Frame {i} is {frames[i].Height} px high but frame 0 "
                    + $"is {height}; a strip's frames share one height.", nameof(frames));
            }
        }
        int channels = frames.Max(f => f.Channels);
        int width = frames.Sum(f => f.Width) + gap * (frames.Count - 1);
        float[] data = new float[channels * height * width];
        Array.Fill(data, 1f);
        int left = 0;
        foreach (var frame in frames)
        {
            Paste(frame, data, channels, height, width, left);
            left += frame.Width + gap;
        }
        return new HostImage(data, channels, height, width);
    }

    /// <summary>
    /// One image of <paramref name="rows"/> top to bottom, each row a <see cref="Compose"/>d
    /// strip: a grid. Rows must come out equally wide; narrower channels become grey RGB.
    /// </summary>
    /// <param name="rows">At least one row of at least one frame each.</param>
    /// <param name="gap">White pixels between frames and between rows.</param>
    public static HostImage Grid(IReadOnlyList<IReadOnlyList<HostImage>> rows, int gap = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("A grid needs at least one row.", nameof(rows));
        var strips = rows.Select(r => Compose(r, gap)).ToList();
        int width = strips[0].Width;
        if (strips.FirstOrDefault(s => s.Width != width) is { } odd)
        {
            throw new ArgumentException($"Row {strips.IndexOf(odd)} is {odd.Width} px wide but row 0 "
                + $"is {width}; a grid's rows share one width.", nameof(rows));
        }
        int channels = strips.Max(s => s.Channels);
        int height = strips.Sum(s => s.Height) + gap * (strips.Count - 1);
        float[] data = new float[channels * height * width];
        Array.Fill(data, 1f);
        int top = 0;
        foreach (var strip in strips)
        {
            for (int c = 0; c < channels; c++)
            {
                int source = strip.Channels == 1 ? 0 : c;
                Array.Copy(strip.Data, source * strip.Height * width, data, (c * height + top) * width,
                    strip.Height * width);
            }
            top += strip.Height + gap;
        }
        return new HostImage(data, channels, height, width);
    }

    /// <summary>Writes <see cref="Compose"/>'s result to <paramref name="path"/> as PNG,
    /// atomically.</summary>
    public static void Save(IReadOnlyList<HostImage> frames, string path, int gap = 0) =>
        AtomicFile.WriteAllBytes(path, ImageCodec.EncodePng(Compose(frames, gap)));

    private static void Paste(HostImage frame, float[] data, int channels, int height, int width,
        int left)
    {
        for (int c = 0; c < channels; c++)
        {
            // A grayscale frame repeats its only plane in every channel.
            int source = frame.Channels == 1 ? 0 : c;
            for (int y = 0; y < height; y++)
            {
                Array.Copy(frame.Data, (source * height + y) * frame.Width, data,
                    (c * height + y) * width + left, frame.Width);
            }
        }
    }
}
