using BicycleGan.Data;
using BicycleGan.Evaluation;
using BicycleGan.Options;

namespace BicycleGan.Tests.Evaluation;

public sealed class ModeCoverageTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void Ground_truth_images_are_classified_as_their_own_mode_with_precision_1(int size)
    {
        var dataset = Shapes(size, count: 24);
        var classes = new List<ModeClassification>();

        for (int i = 0; i < dataset.Count; i++)
        {
            var scene = dataset.Scene(i);
            var (_, b) = dataset.Raw(i);
            var result = ModeCoverage.Classify(scene, b);
            Assert.True(result.Mode == scene.ModeIndex,
                $"scene {i}: {scene.Mode.Name} was classified as {result.Mode}");
            Assert.Equal(0, result.Distance, 12);
            classes.Add(result);
        }

        Assert.Equal(1.0, ModeCoverage.Precision(classes));
    }

    [Fact]
    public void Every_mode_drawn_on_one_outline_is_recognised_so_coverage_is_1()
    {
        var scene = Shapes(64, count: 1).Scene(0);

        var classes = Enumerable.Range(0, ShapesModes.Count)
            .Select(m => ModeCoverage.Classify(scene, scene.RenderFilled(m))).ToList();

        Assert.Equal(Enumerable.Range(0, ShapesModes.Count).Cast<int?>(), classes.Select(c => c.Mode));
        Assert.Equal(1.0, ModeCoverage.Coverage(classes));
    }

    [Fact]
    public void A_blank_image_is_invalid()
    {
        var scene = Shapes(64, count: 1).Scene(0);

        var result = ModeCoverage.Classify(scene, scene.RenderOutlines());

        Assert.False(result.IsValid);
        Assert.True(result.Distance > result.Threshold);
        Assert.InRange(result.Threshold, 0.15, 0.25);
        Assert.Equal(0.0, ModeCoverage.Precision([result]));
        Assert.Equal(0.0, ModeCoverage.Coverage([result]));
    }

    [Fact]
    public void A_half_and_half_mix_of_two_colours_is_invalid()
    {
        var scene = Shapes(64, count: 1).Scene(0);
        var red = scene.RenderFilled(0);
        var blue = scene.RenderFilled(4);
        // Left half red-solid, right half blue-solid.
        float[] data = (float[])red.Data.Clone();
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 64; y++)
            {
                for (int x = 32; x < 64; x++) data[(c * 64 + y) * 64 + x] = blue[c, y, x];
            }
        }

        var result = ModeCoverage.Classify(scene, new HostImage(data, 3, 64, 64));

        Assert.False(result.IsValid, $"distance {result.Distance} to mode {result.Nearest}");
    }

    [Fact]
    public void Slightly_noisy_colours_still_count()
    {
        var scene = Shapes(64, count: 1).Scene(0);
        var clean = scene.RenderFilled(7);
        var random = new Random(3);
        float[] data = clean.Data
            .Select(v => Math.Clamp(v + (float)(random.NextDouble() - 0.5) * 0.1f, -1, 1))
            .ToArray();

        var result = ModeCoverage.Classify(scene, new HostImage(data, 3, 64, 64));

        Assert.Equal(7, result.Mode);
    }

    [Fact]
    public void Coverage_counts_distinct_valid_modes_over_twelve()
    {
        var classes = new[]
        {
            new ModeClassification(3, 3, 0, 0.25), new ModeClassification(3, 3, 0.1, 0.25),
            new ModeClassification(5, 5, 0, 0.25), new ModeClassification(null, 1, 0.6, 0.25),
        };

        Assert.Equal(2.0 / 12, ModeCoverage.Coverage(classes), 12);
        Assert.Equal(0.75, ModeCoverage.Precision(classes), 12);
    }

    private static ShapesDataset Shapes(int size, int count) =>
        new(seed: 5, "test", count, size,
            new DataOptions { Preprocess = PreprocessMode.None, SizeMultiple = 1 });
}
