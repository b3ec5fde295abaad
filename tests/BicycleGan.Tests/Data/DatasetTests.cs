using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Tests.Data;

public sealed class DatasetTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_missing_split_names_the_folder_and_the_phase()
    {
        Directory.CreateDirectory(_root.Combine("train"));

        var error = Assert.Throws<DatasetException>(
            () => new AlignedDataset(_root.Path, new DataOptions { Phase = "val" }));

        Assert.Contains(_root.Combine("val"), error.Message);
        Assert.Contains("Phase", error.Message);
    }

    [Fact]
    public void An_empty_split_is_an_error_naming_the_folder()
    {
        Directory.CreateDirectory(_root.Combine("train"));
        File.WriteAllText(_root.Combine("train", "notes.txt"), "not an image");

        var error = Assert.Throws<DatasetException>(
            () => new AlignedDataset(_root.Path, new DataOptions()));

        Assert.Contains(_root.Combine("train"), error.Message);
        Assert.Contains("holds no images", error.Message);
    }

    [Fact]
    public void Files_are_listed_in_ordinal_order_with_hidden_files_ignored()
    {
        string split = Directory.CreateDirectory(_root.Combine("train")).FullName;
        byte[] png = ImageCodec.EncodePng(SyntheticPairs.Noise(4, 8, 1));
        foreach (string name in new[] { "b.png", "A.PNG", "a.jpg", ".hidden.png", "B.png" })
            File.WriteAllBytes(Path.Combine(split, name), png);

        var dataset = new AlignedDataset(_root.Path, new DataOptions());

        var names = Enumerable.Range(0, dataset.Count).Select(i => Path.GetFileName(dataset.Describe(i)));
        Assert.Equal(["A.PNG", "B.png", "a.jpg", "b.png"], names);
    }

    [Fact]
    public void An_aligned_image_with_odd_width_names_the_file()
    {
        string path = CopyBad("odd-width.png");
        var dataset = new AlignedDataset(_root.Path, new DataOptions { Preprocess = PreprocessMode.None });

        var error = Assert.Throws<BadImageException>(() => dataset.Load(0, AugmentParams.Evaluation));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("65 pixels wide", error.Message);
    }

    [Fact]
    public void An_image_smaller_than_the_crop_names_the_file_and_crop_size()
    {
        string path = CopyBad("too-small.png");
        var options = new DataOptions { Preprocess = PreprocessMode.Crop, CropSize = 16 };
        var dataset = new AlignedDataset(_root.Path, options);

        var error = Assert.Throws<BadImageException>(() => dataset.Load(0, AugmentParams.Evaluation));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("smaller than the 16×16 crop (CropSize)", error.Message);
    }

    [Fact]
    public void Paired_folders_match_by_name_and_keep_ordinal_order()
    {
        SyntheticPairs.WritePaired(_root.Path, "train", ["b", "a", "c"], ["c", "a", "b"], size: 16);
        var options = new DataOptions { Layout = DatasetLayout.Paired, Preprocess = PreprocessMode.None };

        var dataset = new PairedFolderDataset(_root.Path, options);
        var pair = dataset.Load(1, AugmentParams.Evaluation);

        Assert.Equal(3, dataset.Count);
        Assert.EndsWith(Path.Combine("A", "b.png"), dataset.Describe(1));
        Assert.EndsWith(Path.Combine("B", "b.png"), dataset.DescribeB(1));
        Assert.NotNull(pair.B);
    }

    [Fact]
    public void Paired_images_of_different_sizes_meet_when_the_mode_resizes_both()
    {
        SyntheticPairs.WritePaired(_root.Path, "train", ["a"], [], size: 24);
        ImageCodec.SavePng(SyntheticPairs.Noise(40, 40, 9), _root.Combine("train", "B", "a.png"));
        var options = new DataOptions { Layout = DatasetLayout.Paired, LoadSize = 20, CropSize = 16 };

        var pair = new PairedFolderDataset(_root.Path, options).Load(0, AugmentParams.Evaluation);
        var cropOnly = options with { Preprocess = PreprocessMode.Crop };
        var uncropped = new PairedFolderDataset(_root.Path, cropOnly);

        Assert.Equal((16, 16), (pair.Height, pair.Width));
        var error = Assert.Throws<BadImageException>(() => uncropped.Load(0, AugmentParams.Evaluation));
        Assert.Contains("A of 24×24 with a B of 40×40", error.Message);
    }

    [Fact]
    public void Paired_folders_with_different_names_list_the_unmatched_files()
    {
        SyntheticPairs.WritePaired(_root.Path, "train", ["a", "b", "x"], ["a", "b", "y"], size: 8);

        var error = Assert.Throws<DatasetException>(
            () => new PairedFolderDataset(_root.Path, new DataOptions()));

        Assert.Contains("only in A: x", error.Message);
        Assert.Contains("only in B: y", error.Message);
        Assert.Contains(_root.Combine("train", "A"), error.Message);
    }

    [Fact]
    public void A_paired_split_without_a_b_folder_says_what_is_expected()
    {
        Directory.CreateDirectory(_root.Combine("train", "A"));

        var error = Assert.Throws<DatasetException>(
            () => new PairedFolderDataset(_root.Path, new DataOptions()));

        Assert.Contains("has no 'B' folder", error.Message);
    }

    [Fact]
    public void Single_datasets_load_inputs_without_targets()
    {
        string split = Directory.CreateDirectory(_root.Combine("test")).FullName;
        ImageCodec.SavePng(SyntheticPairs.Noise(24, 24, 3), Path.Combine(split, "x.png"));
        var options = new DataOptions
        {
            Layout = DatasetLayout.Single,
            Phase = "test",
            Preprocess = PreprocessMode.None,
        };

        var image = new SingleImageDataset(_root.Path, options).Load(0, AugmentParams.Evaluation);

        Assert.Null(image.B);
        Assert.Equal((3, 0, 24, 24), (image.ChannelsA, image.ChannelsB, image.Height, image.Width));
    }

    [Fact]
    public void The_factory_opens_the_layout_the_options_name()
    {
        SyntheticPairs.WritePaired(_root.Path, "train", ["a"], ["a"], size: 8);

        var dataset = DatasetFactory.Open(_root.Path, new DataOptions { Layout = DatasetLayout.Paired });

        Assert.IsType<PairedFolderDataset>(dataset);
    }

    private string CopyBad(string name)
    {
        string split = Directory.CreateDirectory(_root.Combine("train")).FullName;
        string path = Path.Combine(split, name);
        File.Copy(SyntheticPairs.BadImage(name), path);
        return path;
    }
}
