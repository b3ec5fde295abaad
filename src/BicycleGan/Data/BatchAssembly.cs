namespace BicycleGan.Data;

/// <summary>Copies same-sized examples into one N × C × H × W batch.</summary>
internal static class BatchAssembly
{
    public static HostBatch Assemble(List<PairedImage> images, List<int> indices)
    {
        var first = images[0];
        foreach (var image in images) CheckSameShape(first, image);
        int sizeA = first.A.Length;
        int sizeB = first.B?.Length ?? 0;
        float[] a = new float[images.Count * sizeA];
        float[]? b = first.B is null ? null : new float[images.Count * sizeB];
        for (int i = 0; i < images.Count; i++)
        {
            Array.Copy(images[i].A, 0, a, i * sizeA, sizeA);
            if (b is not null) Array.Copy(images[i].B!, 0, b, i * sizeB, sizeB);
        }
        string[] sources = images.Select(image => image.Source).ToArray();
        return new HostBatch(a, b, images.Count, first.ChannelsA, first.ChannelsB, first.Height,
            first.Width, sources, indices.ToArray());
    }

    private static void CheckSameShape(PairedImage first, PairedImage other)
    {
        bool same = other.ChannelsA == first.ChannelsA && other.ChannelsB == first.ChannelsB
            && other.Height == first.Height && other.Width == first.Width;
        if (same) return;
        throw new DatasetException($"'{other.Source}' becomes {other.Width}×{other.Height} but "
            + $"'{first.Source}' in the same batch becomes {first.Width}×{first.Height}; images of "
            + "different sizes cannot share a batch. Use batch size 1 or a preprocess that crops.");
    }
}
