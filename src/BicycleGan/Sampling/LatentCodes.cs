using BicycleGan.Data;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Sampling;

/// <summary>
/// Where the random-sample codes z come from: N(0, I) draws, or explicit codes (from a z-file or
/// from code). Random codes come from a <see cref="Generator"/> of their own, seeded from
/// (seed, input index), so sampling never moves torch's global generator (training's stream) and
/// any input's codes can be recomputed alone. With <see cref="Sync"/> every input gets the same
/// codes, so one page column shows one z across rows; explicit codes are always shared.
/// </summary>
public sealed class LatentCodes
{
    // Names this use of the seed, so z never coincides with another stream drawn from it.
    private const long ZStream = 0x5A636F6465;
    private const int SharedIndex = -1;

    private readonly float[][]? _explicit;

    private LatentCodes(long seed, bool sync, float[][]? codes, string? file)
    {
        Seed = seed;
        Sync = sync;
        _explicit = codes;
        File = file;
    }

    /// <summary>Seed of the random codes (unused for explicit codes).</summary>
    public long Seed { get; }

    /// <summary>True when every input receives the same codes.</summary>
    public bool Sync { get; }

    /// <summary>True when the codes are drawn from N(0, I) rather than given.</summary>
    public bool IsRandom => _explicit is null;

    /// <summary>Number of explicit codes; null for random codes, which never run out.</summary>
    public int? Available => _explicit?.Length;

    /// <summary>The z-file the codes were read from, or null.</summary>
    public string? File { get; }

    /// <summary>Codes drawn from N(0, I); <paramref name="sync"/> shares them across inputs.
    /// </summary>
    public static LatentCodes Random(long seed, bool sync = false) => new(seed, sync, null, null);

    /// <summary>
    /// The given codes, copied; every input receives the first n of them. All must have the same
    /// length and hold finite values.
    /// </summary>
    public static LatentCodes Explicit(IEnumerable<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        float[][] copy = [.. codes.Select(c => (float[])c.Clone())];
        for (int row = 0; row < copy.Length; row++)
        {
            if (copy[row].Length != copy[0].Length || copy[row].Any(v => !float.IsFinite(v)))
            {
                throw new ArgumentException($"Code {row + 1} must hold {copy[0].Length} finite "
                    + "numbers like the first code.", nameof(codes));
            }
        }
        return new LatentCodes(0, true, copy, null);
    }

    /// <summary>
    /// Reads codes of length <paramref name="nz"/> from a JSON file (an array of arrays of
    /// numbers) or a CSV file (one code per line, comma-separated, '.' as the decimal point; a
    /// first line of nz fields none of which is a number is a header and skipped). The format
    /// follows the extension (.json, .csv), else the first character ('[' means JSON).
    /// </summary>
    /// <exception cref="ZFileException">The file is missing or malformed; the message names the
    /// file, the row and the problem.</exception>
    public static LatentCodes FromFile(string path, int nz) =>
        new(0, true, ZFileReader.Read(path, nz), path);

    /// <summary>The codes <paramref name="options"/> ask for: a z-file's, else random ones.
    /// </summary>
    public static LatentCodes From(SamplingOptions options, int nz)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.ZFile is { } file ? FromFile(file, nz) : Random(options.Seed, options.Sync);
    }

    /// <summary>
    /// The <paramref name="count"/> codes of input <paramref name="inputIndex"/> (0-based), each
    /// of length <paramref name="nz"/>. The same arguments always give the same codes.
    /// </summary>
    /// <exception cref="ZFileException">A z-file holds fewer than count codes.</exception>
    public float[][] For(int inputIndex, int count, int nz)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(nz, 1);
        if (_explicit is not null) return TakeExplicit(count, nz);
        if (count == 0) return [];
        return Draw(SplitMix.Hash([ZStream, Seed, Sync ? SharedIndex : inputIndex]), count, nz);
    }

    private float[][] TakeExplicit(int count, int nz)
    {
        string source = File is null ? "The explicit codes" : $"Z-file '{File}'";
        if (_explicit!.Length < count)
        {
            const string advice = "add rows or ask for fewer samples.";
            if (File is not null)
                throw new ZFileException(File, null, $"holds {_explicit.Length} codes, but {count} "
                    + $"samples per input were requested; {advice}");
            throw new ArgumentException($"{source} hold {_explicit.Length} codes, but {count} "
                + $"samples per input were requested; {advice}");
        }
        if (count > 0 && _explicit[0].Length != nz)
        {
            throw new ArgumentException(
                $"{source} have length {_explicit[0].Length}, but the model's nz is {nz}.");
        }
        return [.. _explicit.Take(count).Select(c => (float[])c.Clone())];
    }

    private static float[][] Draw(ulong seed, int count, int nz)
    {
        using var generator = new Generator(seed, CPU);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        float[] flat = randn([count, nz], generator: generator).data<float>().ToArray();
        float[][] codes = new float[count][];
        for (int i = 0; i < count; i++) codes[i] = flat[(i * nz)..((i + 1) * nz)];
        return codes;
    }
}
