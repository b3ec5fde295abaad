using System.Text.RegularExpressions;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Sampling;
using BicycleGan.Tests.Data;
using BicycleGan.Tests.Sampling;
using SkiaSharp;

namespace BicycleGan.Tests.Reports;

public sealed partial class SamplePageTests
{
    private static readonly SamplingOptions Three = new() { Samples = 3, Inputs = 2 };

    [GeneratedRegex("src=\"([^\"]+)\"")]
    private static partial Regex Sources();

    private static string[] ImageFiles(string dir) =>
        [.. Directory.GetFiles(Path.Combine(dir, "images")).Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_page_writes_the_official_file_names_and_shows_every_image_it_wrote()
    {
        using var model = SamplingFixtures.Model();
        using var folder = new TempFolder();
        var summary = SamplePage.Write(model, new MemoryDataset(5), Three, folder.Path);
        string[] expected =
        [
            .. new[] { 0, 1 }.SelectMany(i => new[]
            {
                $"input_00{i}_encoded.png", $"input_00{i}_ground_truth.png", $"input_00{i}_input.png",
                $"input_00{i}_random_sample01.png", $"input_00{i}_random_sample02.png",
                $"input_00{i}_random_sample03.png",
            }),
        ];
        string html = File.ReadAllText(summary.IndexPath);
        string[] shown =
            [.. Sources().Matches(html).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ImageFiles(folder.Path));
        Assert.Equal(expected.Order(StringComparer.Ordinal).Select(f => "images/" + f), shown);
        Assert.Equal(2, summary.Inputs);
        Assert.Equal(12, summary.Images);
        Assert.Equal(folder.Combine("index.html"), summary.IndexPath);
    }

    [Fact]
    public void Same_seed_pages_are_byte_identical_and_another_seed_changes_only_random_samples()
    {
        using var model = SamplingFixtures.Model();
        using var first = new TempFolder();
        using var second = new TempFolder();
        using var other = new TempFolder();
        SamplePage.Write(model, new MemoryDataset(2), Three with { Seed = 3 }, first.Path);
        SamplePage.Write(model, new MemoryDataset(2), Three with { Seed = 3 }, second.Path);
        SamplePage.Write(model, new MemoryDataset(2), Three with { Seed = 4 }, other.Path);
        foreach (string name in ImageFiles(first.Path))
        {
            byte[] bytes = File.ReadAllBytes(first.Combine("images", name));
            Assert.Equal(bytes, File.ReadAllBytes(second.Combine("images", name)));
            bool random = name.Contains("random_sample", StringComparison.Ordinal);
            byte[] otherBytes = File.ReadAllBytes(other.Combine("images", name));
            Assert.Equal(!random, bytes.AsSpan().SequenceEqual(otherBytes));
        }
        Assert.Equal(File.ReadAllText(first.Combine("index.html")),
            File.ReadAllText(second.Combine("index.html")));
    }

    [Fact]
    public void Pix2pix_noise_pages_have_no_encoded_column()
    {
        using var model = SamplingFixtures.Model(ModelVariant.Pix2PixNoise);
        using var folder = new TempFolder();
        var summary = SamplePage.Write(model, new MemoryDataset(2), Three, folder.Path);
        string html = File.ReadAllText(summary.IndexPath);
        Assert.DoesNotContain(ImageFiles(folder.Path), f => f.Contains("encoded", StringComparison.Ordinal));
        Assert.DoesNotContain(">encoded<", html, StringComparison.Ordinal);
        Assert.Contains("encoded sample: none (the model has no encoder)", html, StringComparison.Ordinal);
        Assert.Equal(10, summary.Images);
    }

    [Fact]
    public void Every_outside_string_is_escaped_and_the_page_loads_nothing_from_elsewhere()
    {
        var image = SamplingFixtures.Image(0, 3, 8);
        var set = new SampleSet(0, "a<b>&\"c'.png", image, null, null, null, [image], [new float[4]]);
        using var folder = new TempFolder();
        var summary = SamplePage.Write([set], folder.Path, "<script>alert(1)</script>", "z & \"q\"");
        string html = File.ReadAllText(summary.IndexPath);
        Assert.Contains("a&lt;b&gt;&amp;&quot;c&#39;.png", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("z &amp; &quot;q&quot;", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_cancelled_page_keeps_the_previous_index_and_leaves_no_temporary_files()
    {
        using var model = SamplingFixtures.Model();
        using var folder = new TempFolder();
        SamplePage.Write(model, new MemoryDataset(1), Three with { Inputs = 1 }, folder.Path, "old page");
        string before = File.ReadAllText(folder.Combine("index.html"));
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(done => cancel.Cancel());
        Assert.Throws<OperationCanceledException>(() => SamplePage.Write(model, new MemoryDataset(3),
            Three with { Inputs = 3 }, folder.Path, "new page", progress, cancel.Token));
        Assert.Equal(before, File.ReadAllText(folder.Combine("index.html")));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_interpolation_page_adds_a_gif_of_every_slerp_frame_and_a_strip_of_them()
    {
        using var model = SamplingFixtures.Model();
        using var folder = new TempFolder();
        var options = Three with
        {
            Inputs = 1, InterpolationKeys = 3, InterpolationSteps = 4, FrameDelay = 5,
        };
        var summary = SamplePage.Write(model, new MemoryDataset(1), options, folder.Path);
        using var codec = SKCodec.Create(folder.Combine("images", "input_000_interpolation.gif"));
        var strip = ImageCodec.Decode(folder.Combine("images", "input_000_interpolation_strip.png"));
        string html = File.ReadAllText(summary.IndexPath);
        Assert.Equal(9, codec.FrameCount);
        Assert.Equal(32, codec.Info.Width);
        Assert.Equal(9 * 32, strip.Width);
        Assert.Contains("src=\"images/input_000_interpolation.gif\"", html);
        Assert.Contains("href=\"images/input_000_interpolation_strip.png\"", html);
        Assert.Equal(6 + 2, summary.Images);
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
