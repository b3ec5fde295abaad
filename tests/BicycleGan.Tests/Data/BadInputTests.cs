using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Tests.Data;

/// <summary>Every file of the bad-image corpus, driven through datasets and the loader.</summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly string[] BadFiles =
    [
        "empty.png", "huge-header.png", "not-an-image.png", "odd-width.png", "too-small.png",
        "truncated.jpg", "truncated.png",
    ];

    // Crop mode so too-small.png (12-pixel halves) cannot fill the 16-pixel crop.
    private static readonly DataOptions Options = new() { Preprocess = PreprocessMode.Crop, CropSize = 16 };

    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("empty.png", "is empty (zero bytes)")]
    [InlineData("huge-header.png", "more than the limit")]
    [InlineData("not-an-image.png", "is not an image")]
    [InlineData("odd-width.png", "needs an even width")]
    [InlineData("too-small.png", "smaller than the 16×16 crop")]
    [InlineData("truncated.jpg", "is truncated")]
    [InlineData("truncated.png", "is truncated")]
    public void Without_skip_a_bad_file_stops_the_epoch_naming_file_and_problem(string file, string problem)
    {
        WriteGoodPairs(3);
        string bad = CopyBad(file);
        var dataset = new AlignedDataset(_root.Path, Options);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: true);

        var error = Assert.Throws<BadImageException>(() => loader.Epoch(0).ToList());

        Assert.Equal(bad, error.FilePath);
        Assert.Contains(bad, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Empty(loader.SkippedFiles);
    }

    [Fact]
    public void With_skip_every_bad_file_is_skipped_listed_once_and_batches_stay_clean()
    {
        WriteGoodPairs(4);
        string[] bad = BadFiles.Select(CopyBad).ToArray();
        var dataset = new AlignedDataset(_root.Path, Options);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: true, skipBad: true);

        var epoch0 = loader.Epoch(0).ToList();
        var epoch1 = loader.Epoch(1).ToList();

        Assert.Equal(2, epoch0.Count);
        Assert.Equal(2, epoch1.Count);
        var used = epoch0.SelectMany(b => b.Sources).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["0000.png", "0001.png", "0002.png", "0003.png"], used);
        var skipped = loader.SkippedFiles.Select(f => f.Path);
        Assert.Equal(bad.Order(StringComparer.Ordinal), skipped.Order(StringComparer.Ordinal));
        Assert.All(loader.SkippedFiles, f => Assert.False(string.IsNullOrWhiteSpace(f.Problem)));
        Assert.All(epoch0.Concat(epoch1), b => Assert.All(b.A, v => Assert.InRange(v, -1f, 1f)));
    }

    [Fact]
    public void Skip_does_not_hide_structural_errors()
    {
        using var loader = new BatchLoader(new FailingDataset(), batchSize: 2, seed: 1, training: true,
            skipBad: true);

        Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).ToList());
    }

    [Fact]
    public void A_bad_b_file_in_paired_folders_is_named_itself()
    {
        SyntheticPairs.WritePaired(_root.Path, "train", ["a", "b"], ["a"], size: 16);
        string badB = _root.Combine("train", "B", "b.png");
        File.Copy(SyntheticPairs.BadImage("truncated.png"), badB);
        var dataset = new PairedFolderDataset(_root.Path, Options with { Layout = DatasetLayout.Paired });

        var error = Assert.Throws<BadImageException>(() => dataset.Load(1, AugmentParams.Evaluation));

        Assert.Equal(badB, error.FilePath);
    }

    private void WriteGoodPairs(int count) =>
        SyntheticPairs.WriteAligned(_root.Path, "train", count, size: 20);

    private string CopyBad(string name)
    {
        string path = _root.Combine("train", name);
        File.Copy(SyntheticPairs.BadImage(name), path);
        return path;
    }

    /// <summary>Fails as a bug would, not as a bad file.</summary>
    private sealed class FailingDataset : IPairedDataset
    {
        public int Count => 4;

        public string Describe(int index) => $"failing/{index}";

        public PairedImage Load(int index, AugmentParams aug) =>
            throw new InvalidOperationException("A programming error, not a bad file.");
    }
}
