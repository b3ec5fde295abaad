using BicycleGan.Data;
using SkiaSharp;

namespace BicycleGan.Tests.Data;

public sealed class ImageCodecTests
{
    [Fact]
    public void Png_encode_then_decode_returns_every_value_exactly()
    {
        var image = SyntheticPairs.Noise(17, 23, seed: 5);

        var decoded = ImageCodec.Decode(ImageCodec.EncodePng(image), "memory");

        Assert.Equal((3, 17, 23), (decoded.Channels, decoded.Height, decoded.Width));
        Assert.Equal(image.Data, decoded.Data);
    }

    [Fact]
    public void Grayscale_png_round_trips_with_one_channel()
    {
        float[] ramp = Enumerable.Range(0, 256).Select(b => ImageCodec.FromByte((byte)b)).ToArray();
        var image = new HostImage(ramp, 1, 16, 16);

        var decoded = ImageCodec.Decode(ImageCodec.EncodePng(image), "memory", channels: 1);

        Assert.Equal(ramp, decoded.Data);
    }

    [Fact]
    public void Decoded_values_span_minus_one_to_one()
    {
        Assert.Equal(-1f, ImageCodec.FromByte(0));
        Assert.Equal(1f, ImageCodec.FromByte(255));
        Assert.Equal(128, ImageCodec.ToByte(ImageCodec.FromByte(128)));
    }

    [Fact]
    public void Encoding_rounds_to_nearest_and_clamps_out_of_range_values()
    {
        Assert.Equal(0, ImageCodec.ToByte(-3f));
        Assert.Equal(255, ImageCodec.ToByte(7f));
        Assert.Equal(0, ImageCodec.ToByte(float.NaN));
        // 0.4 / 127.5 above byte 100 rounds down, 0.6 / 127.5 above rounds up.
        Assert.Equal(100, ImageCodec.ToByte((100.4f / 127.5f) - 1f));
        Assert.Equal(101, ImageCodec.ToByte((100.6f / 127.5f) - 1f));
    }

    [Fact]
    public void Rgb_to_grayscale_uses_pil_luma_weights()
    {
        // PIL: L = (19595 R + 38470 G + 7471 B + 32768) >> 16, so pure red is 76.
        var red = new HostImage([1f, -1f, -1f], 3, 1, 1);

        var gray = ImageOps.ToChannels(red, 1);

        Assert.Equal(76, ImageCodec.ToByte(gray.Data[0]));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Lossy_formats_decode_to_the_declared_size(SKEncodedImageFormat format)
    {
        var info = new SKImageInfo(20, 12, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        bitmap.Erase(new SKColor(200, 40, 40));
        using var encoded = bitmap.Encode(format, 95);

        var image = ImageCodec.Decode(encoded.ToArray(), "memory");

        Assert.Equal((12, 20), (image.Height, image.Width));
        Assert.InRange(ImageCodec.ToByte(image[0, 5, 5]), 190, 210);
    }

    [Fact]
    public void Bmp_decodes_exactly()
    {
        byte[] bmp = Bmp24(width: 3, height: 2, blue: 30, green: 20, red: 10);

        var image = ImageCodec.Decode(bmp, "memory");

        Assert.Equal((2, 3), (image.Height, image.Width));
        byte[] pixel = [ImageCodec.ToByte(image[0, 1, 2]), ImageCodec.ToByte(image[1, 1, 2]),
            ImageCodec.ToByte(image[2, 1, 2])];
        Assert.Equal(new byte[] { 10, 20, 30 }, pixel);
    }

    [Theory]
    [InlineData("truncated.png", "is truncated")]
    [InlineData("truncated.jpg", "is truncated")]
    [InlineData("empty.png", "is empty (zero bytes)")]
    [InlineData("not-an-image.png", "is not an image")]
    [InlineData("huge-header.png", "declares 100000×100000")]
    [InlineData("missing.png", "does not exist")]
    public void Bad_files_raise_one_exception_naming_the_file_and_problem(string file, string problem)
    {
        string path = SyntheticPairs.BadImage(file);

        var error = Assert.Throws<BadImageException>(() => ImageCodec.Decode(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_huge_header_is_refused_before_any_pixel_is_allocated()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        string path = SyntheticPairs.BadImage("huge-header.png");
        Assert.Throws<BadImageException>(() => ImageCodec.Decode(path));

        // 100000² RGBA would be 40 GB; refusing from the header costs a few kilobytes.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void The_pixel_limit_is_an_option_not_a_constant()
    {
        byte[] png = ImageCodec.EncodePng(SyntheticPairs.Noise(10, 10, seed: 1));

        var error = Assert.Throws<BadImageException>(() => ImageCodec.Decode(png, "small", maxPixels: 99));

        Assert.Contains("MaxPixels", error.Message);
    }

    /// <summary>A one-colour 24-bit BMP (Skia 2.88 cannot encode BMP, only decode it).</summary>
    private static byte[] Bmp24(int width, int height, byte blue, byte green, byte red)
    {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)'B');
        writer.Write((byte)'M');
        writer.Write(54 + rowBytes * height);
        writer.Write(0);
        writer.Write(54);
        writer.Write(40);
        writer.Write(width);
        writer.Write(height);
        writer.Write((short)1);
        writer.Write((short)24);
        writer.Write(new byte[24]);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) writer.Write([blue, green, red]);
            writer.Write(new byte[rowBytes - width * 3]);
        }
        return stream.ToArray();
    }
}
