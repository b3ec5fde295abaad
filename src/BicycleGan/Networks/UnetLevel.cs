using BicycleGan.Options;

namespace BicycleGan.Networks;

/// <summary>
/// One level of the U-Net, counted from the outside (depth 0 sees the image). Widths follow the
/// reference for any depth: inner = ngf·min(2^depth, 8), so unet_256 runs 64, 128, 256, 512, 512…
/// </summary>
internal sealed record UnetLevel(int Depth, long InputChannels, long OuterChannels, long InnerChannels,
    bool Outermost, bool Innermost, bool Dropout)
{
    /// <summary>The levels of a U-Net with the given options, innermost last.</summary>
    public static IReadOnlyList<UnetLevel> Plan(ModelOptions o)
    {
        var levels = new List<UnetLevel>();
        long Inner(int d) => o.Ngf * Math.Min(1L << d, 8L);
        for (int d = 0; d < o.NumDowns; d++)
        {
            long outer = d == 0 ? o.OutputChannels : Inner(d - 1);
            long input = d == 0 ? o.InputChannels : outer;
            // The reference drops out in the 512-wide middle blocks, never next to the image or the bottleneck.
            bool dropout = o.UseDropout && d >= 4 && d <= o.NumDowns - 2;
            levels.Add(new UnetLevel(d, input, outer, Inner(d), d == 0, d == o.NumDowns - 1, dropout));
        }
        return levels;
    }
}
