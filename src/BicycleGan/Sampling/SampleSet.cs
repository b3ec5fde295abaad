using BicycleGan.Data;

namespace BicycleGan.Sampling;

/// <summary>
/// Everything sampled for one input: the input, its ground truth when known, the encoded sample
/// when it could be made, and the random samples with the codes that made them. Managed memory
/// only; images are C × H × W in [-1, 1].
/// </summary>
public sealed class SampleSet
{
    /// <summary>Wraps the results (not copied).</summary>
    public SampleSet(int index, string source, HostImage input, HostImage? groundTruth,
        HostImage? encoded, float[]? encodedCode, IReadOnlyList<HostImage> samples,
        IReadOnlyList<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(codes);
        if ((encoded is null) != (encodedCode is null))
        {
            throw new ArgumentException(
                "An encoded sample and its code come together or not at all.");
        }
        if (samples.Count != codes.Count)
        {
            throw new ArgumentException(
                $"There are {samples.Count} samples but {codes.Count} codes; each sample needs "
                + "its code.");
        }
        Index = index;
        Source = source;
        Input = input;
        GroundTruth = groundTruth;
        Encoded = encoded;
        EncodedCode = encodedCode;
        Samples = samples;
        Codes = codes;
    }

    /// <summary>0-based position of the input in the dataset's order.</summary>
    public int Index { get; }

    /// <summary>The input's file path or built-in name.</summary>
    public string Source { get; }

    /// <summary>A, InputChannels × H × W.</summary>
    public HostImage Input { get; }

    /// <summary>B, OutputChannels × H × W, or null when the dataset has no targets.</summary>
    public HostImage? GroundTruth { get; }

    /// <summary>G(A, μ) with μ from E(B); null without B, without E or when not asked for.
    /// </summary>
    public HostImage? Encoded { get; }

    /// <summary>μ of E(B), length nz; null exactly when <see cref="Encoded"/> is.</summary>
    public float[]? EncodedCode { get; }

    /// <summary>G(A, z_k) for the random codes, in order (random_sample01 first).</summary>
    public IReadOnlyList<HostImage> Samples { get; }

    /// <summary>The codes z_k of <see cref="Samples"/>, each of length nz.</summary>
    public IReadOnlyList<float[]> Codes { get; }
}
