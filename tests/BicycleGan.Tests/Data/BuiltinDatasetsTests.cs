using System.IO.Compression;
using System.Text.Json;
using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Tests.Data;

public sealed class BuiltinDatasetsTests : IDisposable
{
    private static readonly DataOptions Native = new() { Preprocess = PreprocessMode.None };

    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Shapes_has_twelve_named_modes_of_six_colours_and_two_textures()
    {
        Assert.Equal(12, ShapesModes.Count);
        Assert.Equal(12, ShapesModes.All.Select(m => m.Name).Distinct().Count());
        Assert.Equal(6, ShapesModes.All.Select(m => (m.Red, m.Green, m.Blue)).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 12), ShapesModes.All.Select(m => m.Index));
    }

    [Fact]
    public void Shapes_are_a_pure_function_of_the_seed()
    {
        var first = BuiltinDatasets.Open("shapes?size=32&train=20", Native, seed: 4);
        var again = BuiltinDatasets.Open("builtin:shapes?size=32&train=20", Native, seed: 4);
        var other = BuiltinDatasets.Open("shapes?size=32&train=20", Native, seed: 5);

        var a = first.Load(7, AugmentParams.Evaluation);

        Assert.Equal(a.B!, again.Load(7, AugmentParams.Evaluation).B!);
        Assert.NotEqual(a.B!, other.Load(7, AugmentParams.Evaluation).B!);
        Assert.Equal((32, 32, 20), (a.Height, a.Width, first.Count));
    }

    [Fact]
    public void Every_mode_is_drawn_and_roughly_uniformly()
    {
        var shapes = (ShapesDataset)BuiltinDatasets.Open("shapes?size=16&train=1200", Native, seed: 1);

        int[] counts = new int[ShapesModes.Count];
        for (int i = 0; i < shapes.Count; i++) counts[shapes.Scene(i).ModeIndex]++;

        Assert.All(counts, c => Assert.InRange(c, 60, 140));
    }

    [Fact]
    public void A_is_the_outlines_and_b_fills_only_the_interiors_with_the_scene_mode()
    {
        var shapes = (ShapesDataset)BuiltinDatasets.Open("shapes", Native, seed: 2);
        var scene = shapes.Scene(3);
        var (a, b) = shapes.Raw(3);
        bool[] interior = scene.InteriorMask();
        bool[] outline = scene.OutlineMask();

        Assert.Contains(true, interior);
        Assert.InRange(scene.Shapes.Count, 1, 3);
        for (int i = 0; i < 64 * 64; i++)
        {
            Assert.Equal(outline[i] ? -1f : 1f, a.Data[i]);
            if (!interior[i]) Assert.Equal(a.Data[i], b.Data[i]);
        }
        Assert.Equal(scene.ModeIndex, scene.ClosestMode(b));
    }

    [Fact]
    public void Closest_mode_recognises_every_mode_of_a_scene()
    {
        var scene = ((ShapesDataset)BuiltinDatasets.Open("shapes", Native, seed: 9)).Scene(0);

        for (int m = 0; m < ShapesModes.Count; m++)
            Assert.Equal(m, scene.ClosestMode(scene.RenderFilled(m)));
    }

    [Fact]
    public void Shapes_do_not_overlap()
    {
        var shapes = (ShapesDataset)BuiltinDatasets.Open("shapes?size=32&train=150", Native, seed: 3);

        for (int i = 0; i < shapes.Count; i++)
        {
            var scene = shapes.Scene(i);
            for (int y = 0; y < scene.Size; y++)
            {
                for (int x = 0; x < scene.Size; x++)
                {
                    int inside = scene.Shapes.Count(s => s.SignedDistance(x + 0.5, y + 0.5) <= 0);
                    Assert.True(inside <= 1, $"Scene {i} has overlapping shapes at ({x}, {y}).");
                }
            }
        }
    }

    [Fact]
    public void Splits_hold_different_scenes()
    {
        var train = BuiltinDatasets.Open("shapes?size=32", Native, seed: 1);
        var val = BuiltinDatasets.Open("shapes?size=32", Native with { Phase = "val" }, seed: 1);

        Assert.Equal((2000, 100), (train.Count, val.Count));
        Assert.NotEqual(train.Load(0, AugmentParams.Evaluation).A, val.Load(0, AugmentParams.Evaluation).A);
    }

    [Fact]
    public void Make_writes_an_aligned_folder_with_modes_and_scenes_that_loads_back_exactly()
    {
        int written = BuiltinDatasets.Make("shapes?size=32&train=6&val=2&test=2", _root.Path, seed: 8);
        var fromDisk = new AlignedDataset(_root.Path, Native);
        var generated = BuiltinDatasets.Open("shapes?size=32&train=6", Native, seed: 8);

        Assert.Equal(10, written);
        Assert.Equal(6, fromDisk.Count);
        var expected = generated.Load(5, AugmentParams.Evaluation).B!;
        Assert.Equal(expected, fromDisk.Load(5, AugmentParams.Evaluation).B!);
        using var modes = JsonDocument.Parse(File.ReadAllText(_root.Combine("modes.json")));
        Assert.Equal(12, modes.RootElement.GetArrayLength());
        Assert.Equal("stripes", modes.RootElement[1].GetProperty("texture").GetString());
        using var scenes = JsonDocument.Parse(File.ReadAllText(_root.Combine("val", "scenes.json")));
        Assert.Equal(2, scenes.RootElement.GetArrayLength());
        Assert.True(scenes.RootElement[0].TryGetProperty("modeIndex", out _));
    }

    [Fact]
    public void Scenes_read_back_from_scenes_json_give_the_same_masks_and_modes()
    {
        BuiltinDatasets.Make("shapes?size=32&train=3&val=1&test=1", _root.Path, seed: 6);
        var generated = (ShapesDataset)BuiltinDatasets.Open("shapes?size=32&train=3", Native, seed: 6);

        var scenes = ShapesSceneFile.Read(_root.Combine("train", "scenes.json"));

        Assert.Equal(3, scenes.Count);
        for (int i = 0; i < scenes.Count; i++)
        {
            Assert.Equal(generated.Scene(i).ModeIndex, scenes[i].ModeIndex);
            Assert.Equal(generated.Scene(i).Shapes, scenes[i].Shapes);
            Assert.Equal(generated.Scene(i).InteriorMask(), scenes[i].InteriorMask());
        }
    }

    [Fact]
    public void A_malformed_scenes_file_is_named_in_the_error()
    {
        string path = _root.Combine("scenes.json");
        File.WriteAllText(path, "[{\"index\": 0}]");

        var error = Assert.Throws<DatasetException>(() => ShapesSceneFile.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Make_refuses_a_folder_that_already_holds_a_split()
    {
        Directory.CreateDirectory(_root.Combine("train"));
        File.WriteAllText(_root.Combine("train", "x.png"), "");

        var error = Assert.Throws<DatasetException>(() => BuiltinDatasets.Make("shapes", _root.Path));

        Assert.Contains(_root.Combine("train"), error.Message);
    }

    [Theory]
    [InlineData("circles", "There is no built-in dataset 'circles'")]
    [InlineData("shapes?colour=red", "does not understand 'colour=red'")]
    [InlineData("shapes?size=8", "needs size to be a whole number of at least 16")]
    public void Unknown_names_and_keys_are_errors_not_ignored(string name, string message)
    {
        var error = Assert.Throws<DatasetException>(() => BuiltinDatasets.Open(name, Native, seed: 0));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_unknown_split_names_the_phase()
    {
        var error = Assert.Throws<DatasetException>(
            () => BuiltinDatasets.Open("shapes", Native with { Phase = "holdout" }, seed: 0));

        Assert.Contains("'holdout' (Phase)", error.Message);
    }

    [Fact]
    public void The_factory_routes_builtin_sources()
    {
        var dataset = DatasetFactory.Open("builtin:shapes?size=16&train=4", Native, seed: 1);

        Assert.Equal(4, dataset.Count);
        Assert.StartsWith("builtin:shapes/train/", dataset.Describe(0));
    }

    [Fact]
    public void Fashion_edges_loads_real_fashion_mnist_as_edges_and_garments()
    {
        // Needs Debian's dataset-fashion-mnist; without it the constructor's message says how to
        // install it and this test fails rather than skips.
        var options = Native with { InputChannels = 1, OutputChannels = 1 };
        var dataset = BuiltinDatasets.Open("fashion-edges?size=32&train=64", options, seed: 0);

        var pair = dataset.Load(0, AugmentParams.Evaluation);

        Assert.Equal(64, dataset.Count);
        Assert.Equal((1, 1, 32, 32), (pair.ChannelsA, pair.ChannelsB, pair.Height, pair.Width));
        Assert.All(pair.A, v => Assert.True(v is -1f or 1f));
        Assert.InRange(pair.A.Count(v => v < 0), 32, 32 * 32 / 2); // some edges, not all edges
        Assert.True(pair.B!.Max() - pair.B!.Min() > 1f, "The garment should have contrast.");
    }

    [Fact]
    public void Fashion_edges_replicates_gray_to_three_channels_and_splits_test_from_val()
    {
        var val = BuiltinDatasets.Open("fashion-edges?val=10&test=10", Native with { Phase = "val" }, 0);
        var test = BuiltinDatasets.Open("fashion-edges?val=10&test=10", Native with { Phase = "test" }, 0);

        var pair = val.Load(0, AugmentParams.Evaluation);

        Assert.Equal((3, 3), (pair.ChannelsA, pair.ChannelsB));
        Assert.NotEqual(pair.B!, test.Load(0, AugmentParams.Evaluation).B!);
    }

    [Fact]
    public void Missing_fashion_mnist_files_say_how_to_install_them()
    {
        string name = $"fashion-edges?dir={_root.Path}";

        var error = Assert.Throws<DatasetException>(() => BuiltinDatasets.Open(name, Native, seed: 0));

        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void A_fashion_mnist_file_with_a_wrong_magic_is_refused()
    {
        string file = _root.Combine("train-images-idx3-ubyte.gz");
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write([0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
        }

        var error = Assert.Throws<DatasetException>(
            () => BuiltinDatasets.Open($"fashion-edges?dir={_root.Path}", Native, seed: 0));

        Assert.Contains("magic 0x00000801", error.Message);
    }
}
