namespace BicycleGan.Tests.Cli;

/// <summary>sample and interpolate as a user runs them, on a tiny model trained once for the class.</summary>
public sealed class SampleCliTests : IClassFixture<SampleCliTests.TrainedRun>, IDisposable
{
    private readonly TrainedRun _run;
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-sample-").FullName;

    public SampleCliTests(TrainedRun run) => _run = run;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A tiny model, trained for 2 steps, shared by the tests of this class.</summary>
    public sealed class TrainedRun : IDisposable
    {
        public TrainedRun()
        {
            Root = Directory.CreateTempSubdirectory("bicyclegan-trained-").FullName;
            Folder = Path.Combine(Root, "run");
            var result = CliRunner.Run(["train", "--out", Folder, "--max-steps", "2", .. CliRunner.TinyTraining]);
            if (result.ExitCode != 0) throw new InvalidOperationException(result.All);
        }

        public string Root { get; }

        public string Folder { get; }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private const string Shapes = "builtin:shapes?size=32&train=16&val=4&test=4";

    [Fact]
    public void Sample_writes_the_official_file_names_and_an_index_page()
    {
        string outDir = Path.Combine(_root, "page");
        var result = CliRunner.Run("sample", "--model", _run.Folder, "--input", Shapes, "--inputs", "2",
            "--samples", "3", "--out", outDir);
        Assert.True(result.ExitCode == 0, result.All);
        var files = Directory.GetFiles(Path.Combine(outDir, "images"))
            .Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal([
            "input_000_encoded.png", "input_000_ground_truth.png", "input_000_input.png",
            "input_000_random_sample01.png", "input_000_random_sample02.png", "input_000_random_sample03.png",
            "input_001_encoded.png", "input_001_ground_truth.png", "input_001_input.png",
            "input_001_random_sample01.png", "input_001_random_sample02.png", "input_001_random_sample03.png",
        ], files);
        string index = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.All(files, f => Assert.Contains(f, index));
    }

    [Fact]
    public void Sampling_twice_with_a_z_file_gives_identical_PNGs()
    {
        string zFile = Path.Combine(_root, "z.csv");
        File.WriteAllLines(zFile, ["0.5,-1,0.25,2,0,0,1,1", "-0.75,0,1.5,-2,1,1,0,0"]);
        string first = Path.Combine(_root, "first"), second = Path.Combine(_root, "second");
        foreach (var outDir in new[] { first, second })
        {
            var result = CliRunner.Run("sample", "--model", _run.Folder, "--input", Shapes, "--inputs", "2",
                "--samples", "2", "--z-file", zFile, "--out", outDir);
            Assert.True(result.ExitCode == 0, result.All);
        }
        var names = Directory.GetFiles(Path.Combine(first, "images")).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, "images", name!)),
                File.ReadAllBytes(Path.Combine(second, "images", name!)));
    }

    [Fact]
    public void A_z_file_with_a_wrong_row_is_refused_naming_the_row()
    {
        string zFile = Path.Combine(_root, "bad.csv");
        File.WriteAllLines(zFile, ["0.5,-1,0.25,2,0,0,1,1", "1,2,3"]);
        var result = CliRunner.Run("sample", "--model", _run.Folder, "--input", Shapes, "--samples", "2",
            "--z-file", zFile, "--out", Path.Combine(_root, "bad"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("row 2", result.Error);
    }

    [Fact]
    public void Interpolate_writes_a_gif_and_a_strip()
    {
        string image = Path.Combine(_root, "shapes");
        Assert.Equal(0, CliRunner.Run("data", "make", "shapes?size=32&train=2&val=2&test=2", "--out", image).ExitCode);
        string input = Directory.GetFiles(Path.Combine(image, "val")).Order().First();
        string outFile = Path.Combine(_root, "walk");
        var result = CliRunner.Run("interpolate", "--model", _run.Folder, "--input", input, "--steps", "3",
            "--samples", "3", "--out", outFile);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("Wrote 7 frames", result.Out);
        Assert.Equal("GIF89a"u8.ToArray(), File.ReadAllBytes(outFile + ".gif")[..6]);
        Assert.True(new FileInfo(outFile + ".png").Length > 0);
    }

    [Fact]
    public void Export_then_import_round_trips_the_weights()
    {
        string exported = Path.Combine(_root, "exported");
        var export = CliRunner.Run("export", "--model", _run.Folder, "--format", "pytorch", "--out", exported);
        Assert.True(export.ExitCode == 0, export.All);
        string imported = Path.Combine(_root, "imported");
        var import = CliRunner.Run("import", "--from", "pytorch", "--G", Path.Combine(exported, "latest_net_G.pth"),
            "--E", Path.Combine(exported, "latest_net_E.pth"), "--preset", "official-256",
            "--nz", "8", "--ngf", "4", "--nef", "4", "--ndf", "4", "--num-downs", "5", "--encoder-blocks", "3",
            "--d-layers", "2", "--crop-size", "32", "--load-size", "32", "--out", imported);
        Assert.True(import.ExitCode == 0, import.All);

        // The same codes through the trained and the imported model give the same pictures.
        string zFile = Path.Combine(_root, "z.json");
        File.WriteAllText(zFile, "[[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]]");
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b");
        Assert.Equal(0, CliRunner.Run("sample", "--model", _run.Folder, "--input", Shapes, "--inputs", "1",
            "--samples", "1", "--z-file", zFile, "--out", a).ExitCode);
        Assert.Equal(0, CliRunner.Run("sample", "--model", imported, "--input", Shapes, "--inputs", "1",
            "--samples", "1", "--z-file", zFile, "--out", b, "--preprocess", "none").ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "images", "input_000_random_sample01.png")),
            File.ReadAllBytes(Path.Combine(b, "images", "input_000_random_sample01.png")));
    }
}
