using BicycleGan.Data;
using BicycleGan.Reports;

namespace BicycleGan.Tests.Reports;

public sealed class StripTests
{
    private static HostImage Flat(float value, int channels, int height, int width) =>
        new(Enumerable.Repeat(value, channels * height * width).ToArray(), channels, height, width);

    [Fact]
    public void A_strip_puts_frames_left_to_right_with_white_gaps()
    {
        var strip = Strip.Compose([Flat(-1f, 3, 4, 2), Flat(0.5f, 3, 4, 3)], gap: 1);
        Assert.Equal(2 + 1 + 3, strip.Width);
        Assert.Equal(4, strip.Height);
        Assert.Equal(-1f, strip[2, 3, 1]);
        Assert.Equal(1f, strip[0, 0, 2]);
        Assert.Equal(0.5f, strip[1, 2, 5]);
    }

    [Fact]
    public void Grayscale_frames_beside_colour_ones_become_grey_rgb()
    {
        var strip = Strip.Compose([Flat(0.25f, 1, 2, 2), Flat(0f, 3, 2, 2)]);
        Assert.Equal(3, strip.Channels);
        Assert.Equal([0.25f, 0.25f, 0.25f], new[] { strip[0, 1, 1], strip[1, 1, 1], strip[2, 1, 1] });
    }

    [Fact]
    public void Frames_of_different_heights_are_refused_by_number()
    {
        var e = Assert.Throws<ArgumentException>(() => Strip.Compose([Flat(0, 1, 2, 2), Flat(0, 1, 3, 2)]));
        Assert.Contains("Frame 1 is 3 px high but frame 0 is 2", e.Message);
    }

    [Fact]
    public void A_grid_stacks_rows_top_to_bottom_with_white_gaps()
    {
        var grid = Strip.Grid([[Flat(-1f, 1, 2, 2), Flat(0f, 1, 2, 2)], [Flat(0.5f, 3, 3, 2), Flat(0.25f, 3, 3, 2)]],
            gap: 1);
        Assert.Equal((3, 2 + 1 + 3, 2 + 1 + 2), (grid.Channels, grid.Height, grid.Width));
        Assert.Equal(-1f, grid[2, 1, 1]);
        Assert.Equal(0f, grid[0, 0, 4]);
        Assert.Equal(1f, grid[1, 2, 0]);
        Assert.Equal(0.5f, grid[0, 3, 0]);
        Assert.Equal(0.25f, grid[2, 5, 4]);
    }

    [Fact]
    public void Rows_of_different_widths_are_refused_by_number()
    {
        var e = Assert.Throws<ArgumentException>(() => Strip.Grid([[Flat(0, 1, 2, 2)], [Flat(0, 1, 2, 3)]]));
        Assert.Contains("Row 1 is 3 px wide but row 0 is 2", e.Message);
    }
}
