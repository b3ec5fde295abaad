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
    /// <summary>75 per file keeps the suite fast; BICYCLEGAN_FUZZ_CASES searches deeper.</summary>
    private static readonly int CasesPerFile = int.Parse(
        Environment.GetEnvironmentVariable("BICYCLEGAN_FUZZ_CASES") ?? "75",
        System.Globalization.CultureInfo.InvariantCulture);

    private readonly TempFolder _folder = new();

    public CheckpointFuzzTests() => TorchRuntime.Initialize(1);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Mutated_checkpoints_fail_only_with_format_errors()
    {
        string valid = _folder.File("valid.safetensors");
        SafeTensors.Write(valid, SafeTensorsTests.EveryType());
        var sources = new[]
        {
            valid,
            Fixtures.Path("tiny_zip.pth"),
            Fixtures.Path("tiny_legacy.pth"),
            Fixtures.Path("instance_norm_legacy.pth"),
        };
        var random = new Random(20171211);
        var escapes = new List<string>();
        int refused = 0;

        foreach (string source in sources)
        {
            byte[] original = File.ReadAllBytes(source);
            for (int i = 0; i < CasesPerFile; i++)
            {
                (byte[] mutant, string mutation) = Mutate(original, random);
                string path = _folder.File("mutant");
                File.WriteAllBytes(path, mutant);
                foreach (Func<string, CheckpointTensors> read in Readers)
                {
                    try
                    {
                        read(path).Dispose();
                    }
                    catch (CheckpointFormatException)
                    {
                        refused++;
                    }
                    catch (Exception e)
                    {
                        string file = Path.GetFileName(source);
                        escapes.Add($"{file} {mutation}: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }

        Assert.Empty(escapes);
        // Most mutants are damaged enough to be refused; if none were, the mutations missed.
        Assert.InRange(refused, sources.Length * CasesPerFile, 2 * sources.Length * CasesPerFile);
    }

    private static readonly Func<string, CheckpointTensors>[] Readers =
        [SafeTensors.Read, PyTorchCheckpoint.Read];

    private static (byte[], string) Mutate(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        // The first ~40% holds the safetensors JSON, the zip's first records and the legacy
        // pickles; the end holds the zip directory.
        int Position() => random.Next(3) switch
        {
            0 => random.Next(Math.Max(1, bytes.Length * 2 / 5)),
            1 => bytes.Length - 1 - random.Next(Math.Min(bytes.Length, 120)),
            _ => random.Next(bytes.Length),
        };
        switch (random.Next(3))
        {
            case 0:
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            case 1:
                var flipped = new List<int>();
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    int at = Position();
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    flipped.Add(at);
                }
                return (bytes, $"bits flipped at {string.Join(",", flipped)}");
            default:
                int start = Position();
                int count = Math.Min(random.Next(1, 9), bytes.Length - start);
                random.NextBytes(bytes.AsSpan(start, count));
                return (bytes, $"{count} bytes overwritten at {start}");
        }
    }
}
