using System.IO.Compression;
using BicycleGan.Checkpoints;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>
/// Damaged files must fail as <see cref="CheckpointFormatException"/>, never as a crash, a
/// hang, an out-of-memory or a stray exception type. Mutations are seeded, so a failure
/// reproduces; each valid file gets truncations, bit flips and byte overwrites that favour
/// the headers and pickles where parsers make decisions.
/// </summary>
public sealed class CheckpointFuzzTests : IDisposable
{
    /// <summary>60 per file keeps the suite fast; BICYCLEGAN_FUZZ_CASES searches deeper.</summary>
    private static readonly int CasesPerFile = int.Parse(
        Environment.GetEnvironmentVariable("BICYCLEGAN_FUZZ_CASES") ?? "60",
        System.Globalization.CultureInfo.InvariantCulture);

    private readonly TempFolder _folder = new();

    public CheckpointFuzzTests() => TorchRuntime.Initialize(1);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Mutated_checkpoints_fail_only_with_format_errors()
    {
        string valid = _folder.File("valid.safetensors");
        SafeTensors.Write(valid, SafeTensorsTests.EveryType());
        byte[] zip = File.ReadAllBytes(Fixtures.Path("tiny_zip.pth"));
        var random = new Random(20171211);
        var sources = new (string, Func<CheckpointTensors>, Func<(byte[], string)>)[]
        {
            ("safetensors", ReadMutant(SafeTensors.Read),
                MutantOf(File.ReadAllBytes(valid), random)),
            ("zip .pth", ReadMutant(PyTorchCheckpoint.Read), MutantOf(zip, random)),
            ("zip .pth pickle", ReadMutant(PyTorchCheckpoint.Read), PickleMutantOf(zip, random)),
            ("legacy .pth", ReadMutant(PyTorchCheckpoint.Read),
                MutantOf(File.ReadAllBytes(Fixtures.Path("tiny_legacy.pth")), random)),
            ("old legacy .pth", ReadMutant(PyTorchCheckpoint.Read),
                MutantOf(File.ReadAllBytes(Fixtures.Path("instance_norm_legacy.pth")), random)),
        };
        var escapes = new List<string>();
        int refused = 0;

        foreach (var (name, read, mutant) in sources)
        {
            for (int i = 0; i < CasesPerFile; i++)
            {
                (byte[] bytes, string mutation) = mutant();
                File.WriteAllBytes(MutantPath, bytes);
                try
                {
                    read().Dispose();
                }
                catch (CheckpointFormatException)
                {
                    refused++;
                }
                catch (Exception e)
                {
                    escapes.Add($"{name} {mutation}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        Assert.Empty(escapes);
        // Some mutants only change tensor values and still read; if hardly any were refused,
        // the mutations missed the structure this test is meant to attack.
        Assert.InRange(refused, sources.Length * CasesPerFile / 2, sources.Length * CasesPerFile);
    }

    private string MutantPath => _folder.File("mutant");

    private Func<CheckpointTensors> ReadMutant(Func<string, CheckpointTensors> reader) =>
        () => reader(MutantPath);

    private static Func<(byte[], string)> MutantOf(byte[] original, Random random) =>
        () => Mutations.Blind(original, random);

    /// <summary>
    /// Mutates data.pkl inside an otherwise intact zip, so the damage reaches the unpickler
    /// instead of being caught by the zip reader's checks.
    /// </summary>
    private static Func<(byte[], string)> PickleMutantOf(byte[] zip, Random random)
    {
        var records = new List<(string Name, byte[] Bytes)>();
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                using var data = new MemoryStream();
                using (Stream stream = entry.Open()) stream.CopyTo(data);
                records.Add((entry.FullName, data.ToArray()));
            }
        }
        return () =>
        {
            using var output = new MemoryStream();
            string mutation = "";
            using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, bytes) in records)
                {
                    byte[] content = bytes;
                    if (name.EndsWith("/data.pkl", StringComparison.Ordinal))
                    {
                        (content, mutation) = Mutations.Blind(bytes, random);
                    }
                    var entry = archive.CreateEntry(name, CompressionLevel.NoCompression);
                    using Stream stream = entry.Open();
                    stream.Write(content);
                }
            }
            return (output.ToArray(), "data.pkl " + mutation);
        };
    }
}
