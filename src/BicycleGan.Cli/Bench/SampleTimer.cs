using System.Diagnostics;

namespace BicycleGan.Cli.Bench;

/// <summary>Times a unit of work, repeating it until a sample is long enough to trust.</summary>
internal static class SampleTimer
{
    /// <summary>
    /// Seconds per call of <paramref name="unit"/>: calls it at least once and until
    /// <paramref name="minSeconds"/> have passed, then divides.
    /// </summary>
    public static double SecondsPerCall(Action unit, double minSeconds)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        do
        {
            unit();
            calls++;
        }
        while (clock.Elapsed.TotalSeconds < minSeconds);
        return clock.Elapsed.TotalSeconds / calls;
    }

    /// <summary><paramref name="repeats"/> samples of <see cref="SecondsPerCall"/>.</summary>
    public static Spread Repeat(Action unit, int repeats, double minSeconds) =>
        Spread.Of(Enumerable.Range(0, repeats).Select(_ => SecondsPerCall(unit, minSeconds)));
}
