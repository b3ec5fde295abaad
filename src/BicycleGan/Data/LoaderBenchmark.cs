using System.Diagnostics;
using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Measures loader throughput on generated files: an aligned dataset of noisy PNG pairs (noise
/// keeps PNG from compressing them to nothing, so decoding costs what a photo would) read with
/// pix2pix's default preprocess scaled to the size (resize to size × 286 / 256, random crop,
/// flip). Not a test: timings depend on the machine and its load.
/// </summary>
public static class LoaderBenchmark
{
    /// <summary>
    /// Images (pairs) per second delivered by a training <see cref="BatchLoader"/>, timed over
    /// <paramref name="epochs"/> epochs after one warm-up epoch.
    /// </summary>
    /// <param name="size">Crop side in pixels. Default 256.</param>
    /// <param name="images">Pairs written to the temporary dataset. Default 64.</param>
    /// <param name="workers">Loader threads. Default 2.</param>
    /// <param name="batchSize">Pairs per batch. Default 2.</param>
    /// <param name="epochs">Timed epochs. Default 3.</param>
    public static double Run(int size = 256, int images = 64, int workers = 2, int batchSize = 2,
        int epochs = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(images, batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        string root = Path.Combine(Path.GetTempPath(), "bicyclegan-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteNoisyPairs(Path.Combine(root, "train"), images, size);
            var options = new DataOptions
            {
                LoadSize = size * 286 / 256,
                CropSize = size,
                SizeMultiple = 1,
            };
            var dataset = new AlignedDataset(root, options);
            using var loader = new BatchLoader(dataset, batchSize, seed: 0, training: true, workers);
            Drain(loader, 0);
            var clock = Stopwatch.StartNew();
            long delivered = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) delivered += Drain(loader, epoch);
            return delivered / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static long Drain(BatchLoader loader, int epoch)
    {
        long count = 0;
        foreach (var batch in loader.Epoch(epoch)) count += batch.Count;
        return count;
    }

    private static void WriteNoisyPairs(string folder, int count, int size)
    {
        Directory.CreateDirectory(folder);
        var random = new SplitMix(12345);
        for (int i = 0; i < count; i++)
        {
            var a = NoisyGradient(random, size);
            var b = NoisyGradient(random, size);
            ImageCodec.SavePng(ImageOps.Join(a, b), Path.Combine(folder, $"{i:D4}.png"));
        }
    }

    private static HostImage NoisyGradient(SplitMix random, int size)
    {
        float[] data = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    int value = (x + y + c * 80) * 255 / (2 * size) + random.NextInt(48) - 24;
                    data[(c * size + y) * size + x] = ImageCodec.FromByte((byte)Math.Clamp(value, 0, 255));
                }
            }
        }
        return new HostImage(data, 3, size, size);
    }
}
