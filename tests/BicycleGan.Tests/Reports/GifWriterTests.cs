using System.Runtime.InteropServices;
using BicycleGan.Data;
using BicycleGan.Reports;
using SkiaSharp;

namespace BicycleGan.Tests.Reports;

public sealed class GifWriterTests
{
    /// <summary>Uniform noise in [-1, 1]: incompressible, so LZW tables fill and restart.</summary>
    private static HostImage Noise(int seed, int channels, int width, int height)
    {
        var random = new Random(seed);
        float[] data = new float[channels * width * height];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return new HostImage(data, channels, height, width);
    }

    private static byte[] DecodeFrame(SKCodec codec, int frame)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888,
            SKAlphaType.Unpremul);
        byte[] rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            var options = new SKCodecOptions(frame);
            var result = codec.GetPixels(info, handle.AddrOfPinnedObject(), options);
            Assert.Equal(SKCodecResult.Success, result);
        }
        finally
        {
            handle.Free();
        }
        return rgba;
    }

    [Fact]
    public void A_gif_decodes_with_every_frame_at_the_frames_size()
    {
        var frames = Enumerable.Range(0, 7).Select(i => Noise(i, 3, 40, 24)).ToList();
        byte[] gif = GifWriter.Encode(frames, delay: 12);
        using var codec = SKCodec.Create(new SKMemoryStream(gif));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        Assert.Equal(7, codec.FrameCount);
        Assert.Equal(40, codec.Info.Width);
        Assert.Equal(24, codec.Info.Height);
        Assert.All(codec.FrameInfo, f => Assert.Equal(120, f.Duration));
    }

    [Fact]
    public void The_loop_extension_says_forever_by_default_or_the_count_given()
    {
        var frames = new[] { Noise(0, 1, 4, 4), Noise(1, 1, 4, 4) };
        using var forever = SKCodec.Create(new SKMemoryStream(GifWriter.Encode(frames)));
        using var thrice = SKCodec.Create(new SKMemoryStream(GifWriter.Encode(frames, loops: 3)));
        // Skia reports an endless loop as -1.
        Assert.Equal(-1, forever.RepetitionCount);
        Assert.Equal(3, thrice.RepetitionCount);
    }

    [Fact]
    public void Grayscale_frames_round_trip_exactly_through_the_gray_palette()
    {
        // 96 × 96 noise makes far more than 4095 LZW codes, so the table restarts mid-frame.
        var frames = new[] { Noise(1, 1, 96, 96), Noise(2, 1, 96, 96) };
        using var codec = SKCodec.Create(new SKMemoryStream(GifWriter.Encode(frames)));
        for (int f = 0; f < frames.Length; f++)
        {
            byte[] rgba = DecodeFrame(codec, f);
            for (int i = 0; i < 96 * 96; i++)
            {
                byte expected = ImageCodec.ToByte(frames[f].Data[i]);
                Assert.Equal(expected, rgba[4 * i]);
                Assert.Equal(expected, rgba[4 * i + 2]);
            }
        }
    }

    [Fact]
    public void Colour_frames_decode_to_the_nearest_colour_of_the_cube()
    {
        var frames = new[] { Noise(3, 3, 96, 80), Noise(4, 3, 96, 80) };
        using var codec = SKCodec.Create(new SKMemoryStream(GifWriter.Encode(frames)));
        int plane = 96 * 80;
        for (int f = 0; f < frames.Length; f++)
        {
            byte[] rgba = DecodeFrame(codec, f);
            for (int i = 0; i < plane; i++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int levels = c == 1 ? 7 : 6;
                    byte value = ImageCodec.ToByte(frames[f].Data[c * plane + i]);
                    byte expected = GifWriter.LevelValue(GifWriter.Level(value, levels), levels);
                    Assert.Equal(expected, rgba[4 * i + c]);
                    // Rounding to the nearest level errs by at most half a level's spacing.
                    Assert.InRange(Math.Abs(expected - value), 0, 255 / (2.0 * (levels - 1)) + 1);
                }
            }
        }
    }

    [Fact]
    public void A_flat_frame_and_a_single_pixel_frame_encode_validly()
    {
        var flat = new HostImage(new float[3 * 64 * 64], 3, 64, 64);
        var dot = new HostImage([0.5f], 1, 1, 1);
        using var flatCodec = SKCodec.Create(new SKMemoryStream(GifWriter.Encode([flat, flat])));
        using var dotCodec = SKCodec.Create(new SKMemoryStream(GifWriter.Encode([dot])));
        Assert.Equal(2, flatCodec.FrameCount);
        Assert.Equal(ImageCodec.ToByte(0.5f), DecodeFrame(dotCodec, 0)[0]);
    }

    [Fact]
    public void Frames_of_different_sizes_are_refused_by_number()
    {
        var e = Assert.Throws<ArgumentException>(
            () => GifWriter.Encode([Noise(0, 3, 8, 8), Noise(1, 3, 8, 8), Noise(2, 3, 9, 8)]));
        Assert.Contains("Frame 2 is 9×8 px but frame 0 is 8×8", e.Message);
    }
}
