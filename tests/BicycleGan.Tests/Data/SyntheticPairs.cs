using BicycleGan.Data;

namespace BicycleGan.Tests.Data;

/// <summary>
/// Writes small datasets whose B is a known function of A: B = 255 − A per byte, which is −A in
/// [-1, 1]. Resizing, cropping and flipping all commute with negation, so any misalignment of
/// A and B in the pipeline shows up as B ≠ −A.
/// </summary>
internal static class SyntheticPairs
{
    /// <summary>Random RGB noise (with a gradient, so flips are visible), values in [-1, 1].</summary>
    public static HostImage Noise(int height, int width, int seed)
    {
        var random = new Random(seed);
        float[] data = new float[3 * height * width];
        for (int i = 0; i < data.Length; i++)
        {
            int x = i % width;
            byte value = (byte)((random.Next(64) + x * 192 / width) & 255);
            data[i] = ImageCodec.FromByte(value);
        }
        return new HostImage(data, 3, height, width);
    }

    public static HostImage Negate(HostImage image) =>
        new(image.Data.Select(v => -v).ToArray(), image.Channels, image.Height, image.Width);

    /// <summary>Writes root/split/0000.png … as A|B images of side <paramref name="size"/>.</summary>
    public static void WriteAligned(string root, string split, int count, int size, int seed = 1)
    {
        string folder = Directory.CreateDirectory(Path.Combine(root, split)).FullName;
        for (int i = 0; i < count; i++)
        {
            var a = Noise(size, size, seed * 1000 + i);
            ImageCodec.SavePng(ImageOps.Join(a, Negate(a)), Path.Combine(folder, $"{i:D4}.png"));
        }
    }

    /// <summary>Writes root/split/A/name.png and root/split/B/name.png for each name.</summary>
    public static void WritePaired(string root, string split, IEnumerable<string> namesA,
        IEnumerable<string> namesB, int size)
    {
        string a = Directory.CreateDirectory(Path.Combine(root, split, "A")).FullName;
        string b = Directory.CreateDirectory(Path.Combine(root, split, "B")).FullName;
        int seed = 0;
        foreach (string name in namesA)
            ImageCodec.SavePng(Noise(size, size, seed++), Path.Combine(a, name + ".png"));
        foreach (string name in namesB)
            ImageCodec.SavePng(Noise(size, size, seed++), Path.Combine(b, name + ".png"));
    }

    public static string BadImage(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "bad-images", name);
}
