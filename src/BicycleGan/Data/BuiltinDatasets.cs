using System.Text.Json;
using System.Text.Json.Serialization;
using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Datasets that need no download, addressed as <c>builtin:NAME[?key=value&amp;…]</c>:
/// <list type="bullet">
/// <item><c>shapes</c> — procedural outlines → filled shapes with 12 fill modes; keys size
/// (default 64), train (2000), val (100), test (100).</item>
/// <item><c>fashion-edges</c> — Fashion-MNIST edges → garments; keys size (default 32), train
/// (60000), val (500), test (1000), dir (default /usr/share/datasets/fashion-mnist).</item>
/// </list>
/// </summary>
public static class BuiltinDatasets
{
    private const string Shapes = "shapes";
    private const string FashionEdges = "fashion-edges";

    private static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        [Shapes] = ["size", "train", "val", "test"],
        [FashionEdges] = ["size", "train", "val", "test", "dir"],
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Names of the built-in datasets.</summary>
    public static IReadOnlyList<string> Names { get; } = [Shapes, FashionEdges];

    /// <summary>
    /// The split <see cref="DataOptions.Phase"/> of a built-in dataset, preprocessed per
    /// <paramref name="options"/>. <paramref name="seed"/> generates the <c>shapes</c> scenes.
    /// Built-ins are pairs, so Layout only matters in that Single is refused. The result is a
    /// <see cref="ShapesDataset"/> (cast it for <see cref="ShapesDataset.Scene"/>) or a
    /// <see cref="FashionEdgesDataset"/>.
    /// </summary>
    /// <exception cref="DatasetException">Unknown name, key or split, or missing files.</exception>
    public static IPairedDataset Open(string name, DataOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate().Layout == DatasetLayout.Single)
        {
            throw new DatasetException($"Built-in dataset '{name}' holds pairs; Layout Single does not "
                + "apply to it (use Aligned).");
        }
        return (IPairedDataset)OpenRaw(BuiltinSpec.Parse(name, Keys), options.Phase, options, seed);
    }

    /// <summary>
    /// Writes the dataset as an aligned folder: <c>outDir/{train,val,test}/00000.png …</c>, each
    /// A|B side by side as generated, plus for <c>shapes</c> <c>modes.json</c> and one
    /// <c>scenes.json</c> per split. Returns the number of images written.
    /// </summary>
    /// <exception cref="DatasetException">The folder already holds a split, or as for Open.</exception>
    public static int Make(string name, string outDir, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        var spec = BuiltinSpec.Parse(name, Keys);
        string[] splits = ["train", "val", "test"];
        foreach (string split in splits)
        {
            string folder = Path.Combine(outDir, split);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new DatasetException($"Folder '{folder}' is not empty; built-in datasets are only "
                    + "written into new or empty folders.");
            }
        }
        var options = new DataOptions { Preprocess = PreprocessMode.None, SizeMultiple = 1 };
        int written = 0;
        foreach (string split in splits)
        {
            var source = OpenRaw(spec, split, options with { Phase = split }, seed);
            written += WriteSplit(source, Path.Combine(outDir, split));
            if (source is ShapesDataset shapes)
            {
                var scenes = Enumerable.Range(0, shapes.Count).Select(shapes.Scene);
                ShapesSceneFile.Write(Path.Combine(outDir, split, "scenes.json"), scenes);
            }
        }
        if (spec.Name == Shapes) WriteJson(Path.Combine(outDir, "modes.json"), ShapesModes.All);
        return written;
    }

    private static IRawPairSource OpenRaw(BuiltinSpec spec, string split, DataOptions options, int seed)
    {
        int splitNumber = BuiltinSpec.SplitNumber(split, spec.Name);
        if (spec.Name == Shapes)
        {
            int size = spec.Int("size", 64, 16);
            int count = spec.Int(split, splitNumber == 0 ? 2000 : 100, 1);
            return new ShapesDataset(seed, split, count, size, options);
        }
        int side = spec.Int("size", 32, 28);
        int val = spec.Int("val", 500, 1);
        string dir = spec.Text("dir", FashionEdgesDataset.DefaultDirectory);
        return splitNumber switch
        {
            0 => new FashionEdgesDataset(dir, split, 0, spec.Int("train", 60000, 1), side, options),
            1 => new FashionEdgesDataset(dir, split, 0, val, side, options),
            _ => new FashionEdgesDataset(dir, split, val, spec.Int("test", 1000, 1), side, options),
        };
    }

    private static int WriteSplit(IRawPairSource source, string folder)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < source.Count; i++)
        {
            var (a, b) = source.Raw(i);
            string path = Path.Combine(folder, ShapesSceneFile.FileName(i));
            ImageCodec.SavePng(ImageOps.Join(a, b), path);
        }
        return source.Count;
    }

    private static void WriteJson<T>(string path, T value) =>
        File.WriteAllText(path, JsonSerializer.Serialize(value, Json) + "\n");
}
