namespace BicycleGan.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose state is one integer, so any
/// stream can be rebuilt from the numbers that name it — (seed, epoch, example) — with no saved
/// state. That is what lets a resumed run skip ahead and still augment exactly as before.
/// </summary>
internal sealed class SplitMix
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public SplitMix(ulong state) => _state = state;

    /// <summary>A generator for the stream named by <paramref name="keys"/>, in order.</summary>
    public static SplitMix For(params ReadOnlySpan<long> keys) => new(Hash(keys));

    /// <summary>Folds the keys into one well-mixed 64-bit value; order matters.</summary>
    public static ulong Hash(ReadOnlySpan<long> keys)
    {
        ulong h = 0x6A09E667F3BCC909UL;
        foreach (long key in keys) h = Mix(h + Golden + (ulong)key);
        return h;
    }

    public ulong NextULong()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>), without modulo bias.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ulong limit = ulong.MaxValue - (ulong.MaxValue % (ulong)count);
        ulong value;
        do value = NextULong(); while (value >= limit);
        return (int)(value % (ulong)count);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A Fisher–Yates permutation of 0 … count − 1.</summary>
    public int[] Permutation(int count)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
