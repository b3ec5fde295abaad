using System.Diagnostics;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Training;
using SkiaSharp;
using Xunit.Abstractions;

namespace BicycleGan.Tests;

/// <summary>
/// Every file a user can hand the library, damaged on purpose: native checkpoint folders (each
/// file in turn), zip and legacy .pth files, PNG and JPEG images. Each reading must either
/// succeed or fail with one of the library's named exceptions; never a stray exception type, a
/// native crash (which would end the test process) or an allocation the file cannot back.
/// </summary>
public sealed class HostileFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Type[] Named =
    [
        typeof(CheckpointFormatException), typeof(StateDictMismatchException), typeof(BadImageException),
        typeof(DatasetException),
    ];

    /// <summary>What reading a damaged checkpoint may add to peak resident memory (files are under 200 kB).</summary>
    private const long CheckpointBudget = 256L << 20;

    /// <summary>
    /// An image whose header stays within MaxPixels is decoded by design, into 4 bytes a pixel;
    /// a damaged one may claim up to that limit before its data runs out.
    /// </summary>
    private const long ImageBudget = DataOptions.DefaultMaxPixels * 4 + CheckpointBudget;

    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-fuzz-").FullName;
    private readonly Random _random = new(20260312);
    private readonly List<string> _escapes = [];
    private int _cases;
    private int _refused;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Damaged_checkpoints_pth_files_and_images_fail_only_with_named_exceptions_in_bounded_memory()
    {
        TestNets.Seed();
        var clock = Stopwatch.StartNew();

        var phases = new List<string>();
        var overBudget = new List<string>();
        void Phase(string name, Action fuzz, long budget = CheckpointBudget)
        {
            long before = PeakResidentBytes();
            fuzz();
            long growth = PeakResidentBytes() - before;
            phases.Add($"{name} +{growth >> 20} MB");
            if (growth > budget) overBudget.Add($"{name} grew peak memory by {growth >> 20} MB");
        }
        Phase("checkpoint", () => FuzzCheckpointFolder(cases: 900));
        Phase("zip", () => FuzzPth(Checkpoints.Fixtures.Path("tiny_zip.pth"), Mutations.ZipPickle, cases: 450));
        Phase("legacy", () =>
        {
            FuzzPth(Checkpoints.Fixtures.Path("tiny_legacy.pth"), Mutations.PickleIntegers, cases: 250);
            FuzzPth(Checkpoints.Fixtures.Path("instance_norm_legacy.pth"), Mutations.PickleIntegers, cases: 250);
        });
        Phase("png", () => FuzzImage(Png(), ".png", Mutations.PngHeader, cases: 300), ImageBudget);
        Phase("jpeg", () => FuzzImage(Jpeg(), ".jpg", Mutations.JpegHeader, cases: 300), ImageBudget);

        output.WriteLine($"{_cases} cases, {_refused} refused, {_escapes.Count} escaped, " +
                         $"{clock.Elapsed.TotalSeconds:F1} s, peak resident memory {string.Join(", ", phases)}");
        foreach (string escape in _escapes) output.WriteLine(escape);
        Assert.Empty(_escapes);
        Assert.True(_cases >= 2000, $"only {_cases} cases ran");
        // Most damage must be caught; if little is, the mutations are not reaching the parsers.
        Assert.InRange(_refused, _cases / 2, _cases);
        Assert.Empty(overBudget);
    }

    [Fact]
    public void A_safetensors_header_claiming_a_trillion_elements_is_refused_before_any_allocation()
    {
        string path = Path.Combine(_root, "trillion.safetensors");
        byte[] valid = SafeTensorsFile();
        var random = new Random(1);
        (byte[] bytes, string description) = (valid, "");
        while (!description.EndsWith("trillion elements", StringComparison.Ordinal))
            (bytes, description) = Mutations.SafeTensorsHeader(valid, random);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<CheckpointFormatException>(() => SafeTensors.Read(path));

        Assert.Contains("4000000000000", error.Message);
    }

    private void FuzzCheckpointFolder(int cases)
    {
        var options = TestNets.Tiny();
        string folder = Path.Combine(_root, "checkpoint");
        using (var model = BicycleGanModel.Create(options, ModelVariant.Bicycle, new LossWeights()))
        using (var trainer = new Trainer(model, new TrainOptions(), new LossWeights()))
        {
            var (a, b) = TestNets.Batch(options);
            trainer.Step(a, b);
            TrainingCheckpoint.Save(folder, model, trainer, ModelVariant.Bicycle, 0, 1);
        }
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(AtomicDirectory.CompleteMarker)).Order()
            .ToArray();
        using var victim = BicycleGanModel.Create(options, ModelVariant.Bicycle, new LossWeights());
        using var victimTrainer = new Trainer(victim, new TrainOptions(), new LossWeights());
        for (int i = 0; i < cases; i++)
        {
            // Weights are where a hostile download would aim, so they take most cases.
            string file = _random.Next(2) == 0
                ? Path.Combine(folder, "net_G.safetensors")
                : files[_random.Next(files.Length)];
            byte[] original = File.ReadAllBytes(file);
            var (bytes, description) = file.EndsWith(".safetensors") && _random.Next(2) == 0
                ? Mutations.SafeTensorsHeader(original, _random)
                : Mutations.Blind(original, _random);
            File.WriteAllBytes(file, bytes);
            Attempt($"{Path.GetFileName(file)} {description}",
                () => TrainingCheckpoint.Restore(folder, victim, victimTrainer));
            File.WriteAllBytes(file, original);
        }
    }

    private void FuzzPth(string source, Func<byte[], Random, (byte[], string)> rewrite, int cases)
    {
        byte[] original = File.ReadAllBytes(source);
        string path = Path.Combine(_root, "mutant.pth");
        for (int i = 0; i < cases; i++)
        {
            var (bytes, description) = _random.Next(2) == 0 ? rewrite(original, _random)
                : Mutations.Blind(original, _random);
            File.WriteAllBytes(path, bytes);
            Attempt($"{Path.GetFileName(source)} {description}", () => PyTorchCheckpoint.Read(path).Dispose());
        }
    }

    private void FuzzImage(byte[] original, string extension, Func<byte[], Random, (byte[], string)> rewrite,
        int cases)
    {
        string path = Path.Combine(_root, "mutant" + extension);
        for (int i = 0; i < cases; i++)
        {
            var (bytes, description) = _random.Next(2) == 0 ? rewrite(original, _random)
                : Mutations.Blind(original, _random);
            File.WriteAllBytes(path, bytes);
            int channels = _random.Next(2) == 0 ? 1 : 3;
            Attempt($"{extension} {description}", () => ImageCodec.Decode(path, channels));
        }
    }

    private void Attempt(string what, Action read)
    {
        _cases++;
        try
        {
            read();
        }
        catch (Exception e) when (Named.Contains(e.GetType()))
        {
            _refused++;
        }
        catch (Exception e)
        {
            _escapes.Add($"{what}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] SafeTensorsFile()
    {
        using var stream = new MemoryStream();
        using var weights = TorchSharp.torch.ones(3, 4);
        SafeTensors.Write(stream, new Dictionary<string, TorchSharp.torch.Tensor> { ["w"] = weights });
        return stream.ToArray();
    }

    /// <summary>A 24 × 16 RGB gradient, as the codec writes it.</summary>
    private static byte[] Png()
    {
        var data = Enumerable.Range(0, 3 * 16 * 24).Select(i => (i % 97) / 48f - 1f).ToArray();
        return ImageCodec.EncodePng(new HostImage(data, 3, 16, 24));
    }

    private static byte[] Jpeg()
    {
        using var bitmap = new SKBitmap(24, 16);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 24; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(10 * x), (byte)(15 * y), (byte)(x * y)));
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return encoded.ToArray();
    }

    /// <summary>The process's peak resident set (VmHWM), where Linux reports it; else 0.</summary>
    private static long PeakResidentBytes()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
