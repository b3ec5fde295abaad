using BicycleGan.Data;

namespace BicycleGan.Tests.Data;

/// <summary>
/// Tiny in-memory pairs whose pixels encode their index, counting every Load so tests can see
/// how far workers ran ahead. Optional delay makes workers slower than the consumer.
/// </summary>
internal sealed class CountingDataset(int count, int size = 4, int delayMs = 0) : IPairedDataset
{
    private int _loads;

    public int Count => count;

    public int Loads => Volatile.Read(ref _loads);

    public string Describe(int index) => $"memory/{index}";

    public PairedImage Load(int index, AugmentParams aug)
    {
        Interlocked.Increment(ref _loads);
        if (delayMs > 0) Thread.Sleep(delayMs);
        float value = index / (float)count;
        float[] a = Enumerable.Repeat(value, 3 * size * size).ToArray();
        float[] b = Enumerable.Repeat(-value, 3 * size * size).ToArray();
        var imageA = new HostImage(a, 3, size, size);
        return new PairedImage(imageA, new HostImage(b, 3, size, size), Describe(index));
    }
}
