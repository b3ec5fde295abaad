using System.Buffers;

namespace BicycleGan.Data;

/// <summary>
/// Pure operations on <see cref="HostImage"/>: each returns a new image and leaves its input
/// untouched, so one decoded file can safely feed both halves of a pair.
/// </summary>
public static class ImageOps
{
    /// <summary>
    /// Resamples to <paramref name="height"/> × <paramref name="width"/> the way PIL does: the
    /// filter widens when shrinking (antialiasing), and results are clamped to [-1, 1] because
    /// cubic weights overshoot at edges. Returns the input itself when the size already matches.
    /// The weights are PIL's; PIL rounds to 8 bits between the horizontal and vertical passes
    /// and this keeps floats, so results may differ from PIL's by about one grey level.
    /// </summary>
    public static HostImage Resize(HostImage image, int height, int width,
        ResampleFilter filter = ResampleFilter.Bicubic)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (height == image.Height && width == image.Width) return image;

        var columns = Resampling.Build(image.Width, width, filter);
        var rows = Resampling.Build(image.Height, height, filter);
        // The horizontal pass's output is scratch; pooling it spares the large-object heap.
        float[] wide = ArrayPool<float>.Shared.Rent(image.Channels * image.Height * width);
        for (int c = 0; c < image.Channels; c++)
        {
            for (int y = 0; y < image.Height; y++)
            {
                int row = c * image.Height + y;
                columns.ApplyToLine(image.Data.AsSpan(row * image.Width, image.Width),
                    wide.AsSpan(row * width, width));
            }
        }
        float[] result = new float[image.Channels * height * width];
        for (int c = 0; c < image.Channels; c++)
            rows.ApplyToRows(wide, c * image.Height * width, result, c * height * width, width);
        ArrayPool<float>.Shared.Return(wide);
        for (int i = 0; i < result.Length; i++) result[i] = Math.Clamp(result[i], -1f, 1f);
        return new HostImage(result, image.Channels, height, width);
    }

    /// <summary>The <paramref name="height"/> × <paramref name="width"/> window at (top, left).</summary>
    public static HostImage Crop(HostImage image, int top, int left, int height, int width) =>
        Crop(image, top, left, height, width, mirror: false);

    /// <summary>
    /// As <see cref="Crop(HostImage, int, int, int, int)"/>, mirrored left-right when
    /// <paramref name="mirror"/> is set: one copy instead of two.
    /// </summary>
    public static HostImage Crop(HostImage image, int top, int left, int height, int width, bool mirror)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (top < 0 || left < 0 || height < 1 || width < 1
            || top + height > image.Height || left + width > image.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"A {width}×{height} crop at ({left}, "
                + $"{top}) does not fit a {image.Width}×{image.Height} image.");
        }
        float[] result = new float[image.Channels * height * width];
        for (int c = 0; c < image.Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                var source = image.Data.AsSpan((c * image.Height + top + y) * image.Width + left, width);
                var target = result.AsSpan((c * height + y) * width, width);
                source.CopyTo(target);
                if (mirror) target.Reverse();
            }
        }
        return new HostImage(result, image.Channels, height, width);
    }

    /// <summary>Mirrors left-right.</summary>
    public static HostImage FlipHorizontal(HostImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        float[] result = new float[image.Data.Length];
        int w = image.Width;
        for (int row = 0; row < image.Channels * image.Height; row++)
        {
            int start = row * w;
            for (int x = 0; x < w; x++) result[start + x] = image.Data[start + w - 1 - x];
        }
        return new HostImage(result, image.Channels, image.Height, w);
    }

    /// <summary>
    /// Converts to 1 or 3 channels: RGB to gray with PIL's "L" luma weights (on the byte values
    /// the image stores), gray to RGB by replication. Returns the input when nothing changes.
    /// </summary>
    public static HostImage ToChannels(HostImage image, int channels)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 or 3.");
        if (image.Channels == channels) return image;
        int plane = image.Height * image.Width;
        float[] result = new float[channels * plane];
        if (channels == 3)
        {
            for (int c = 0; c < 3; c++) Array.Copy(image.Data, 0, result, c * plane, plane);
        }
        else
        {
            float[] d = image.Data;
            for (int i = 0; i < plane; i++)
            {
                byte luma = ImageCodec.Luma(ImageCodec.ToByte(d[i]), ImageCodec.ToByte(d[plane + i]),
                    ImageCodec.ToByte(d[2 * plane + i]));
                result[i] = ImageCodec.FromByte(luma);
            }
        }
        return new HostImage(result, channels, image.Height, image.Width);
    }

    /// <summary>Splits an A|B image into its left and right halves; the width must be even.</summary>
    public static (HostImage Left, HostImage Right) SplitHalves(HostImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width % 2 != 0 || image.Width < 2)
        {
            throw new ArgumentException(
                $"An A|B image needs an even width to split, not {image.Width}.", nameof(image));
        }
        int half = image.Width / 2;
        return (Crop(image, 0, 0, image.Height, half), Crop(image, 0, half, image.Height, half));
    }

    /// <summary>Places two images of equal height and channels side by side (A|B).</summary>
    public static HostImage Join(HostImage left, HostImage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Height != right.Height || left.Channels != right.Channels)
        {
            throw new ArgumentException($"Images of {left.Channels}×{left.Height} and "
                + $"{right.Channels}×{right.Height} (channels × rows) cannot be joined.", nameof(right));
        }
        int h = left.Height;
        int w = left.Width + right.Width;
        float[] data = new float[left.Channels * h * w];
        for (int row = 0; row < left.Channels * h; row++)
        {
            Array.Copy(left.Data, row * left.Width, data, row * w, left.Width);
            Array.Copy(right.Data, row * right.Width, data, row * w + left.Width, right.Width);
        }
        return new HostImage(data, left.Channels, h, w);
    }
}
