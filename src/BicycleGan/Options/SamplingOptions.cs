namespace BicycleGan.Options;

/// <summary>
/// What a test page samples: how many inputs, how many random z per input, where z comes from,
/// and whether an interpolation animation is made. Defaults follow the reference's test script
/// (50 inputs, 5 random samples, an encoded sample when the ground truth is known).
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Largest <see cref="Samples"/>: file names number samples with two digits.</summary>
    public const int MaxSamples = 99;

    /// <summary>Largest <see cref="Inputs"/>: file names number inputs with three digits.</summary>
    public const int MaxInputs = 1000;

    /// <summary>Inputs taken from the start of the dataset, in its (sorted) order. Default 50.
    /// </summary>
    public int Inputs { get; init; } = 50;

    /// <summary>Random samples per input, 0 to <see cref="MaxSamples"/>. Default 5.</summary>
    public int Samples { get; init; } = 5;

    /// <summary>Seed of the random codes; sampling never draws from torch's global generator.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>
    /// Use the same <see cref="Samples"/> codes for every input, so column k of the page shows one
    /// z across all rows (the reference's --sync). Default false: each input draws its own.
    /// </summary>
    public bool Sync { get; init; }

    /// <summary>
    /// A JSON or CSV file of explicit codes (see <c>LatentCodes.FromFile</c>); the first
    /// <see cref="Samples"/> rows are used for every input. Null (default) draws random codes.
    /// </summary>
    public string? ZFile { get; init; }

    /// <summary>
    /// Add the encoded sample, G(A, μ of E(B)), when B is known and E exists. Default true.
    /// </summary>
    public bool Encode { get; init; } = true;

    /// <summary>Most images G makes in one call; more codes run in several. Default 16.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>
    /// Codes the interpolation animation passes through (its key frames), 0 for none or 2 to
    /// <see cref="MaxSamples"/>. Default 0.
    /// </summary>
    public int InterpolationKeys { get; init; }

    /// <summary>Frames from one key code to the next, 1 to 100. Default 8.</summary>
    public int InterpolationSteps { get; init; } = 8;

    /// <summary>
    /// Time each animation frame is shown, in hundredths of a second (2 to 6000). Default 10.
    /// </summary>
    public int FrameDelay { get; init; } = 10;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.
    /// </summary>
    public SamplingOptions Validate()
    {
        ModelOptions.Require(Inputs is >= 1 and <= MaxInputs, "inputs",
            $"must be between 1 and {MaxInputs} (inputs are numbered with three digits), "
            + $"not {Inputs}");
        ModelOptions.Require(Samples is >= 0 and <= MaxSamples, "samples",
            $"must be between 0 and {MaxSamples} (samples are numbered with two digits), "
            + $"not {Samples}");
        ModelOptions.Require(!(Sync && ZFile is not null), "sync",
            "has no effect with --z-file, whose codes are already the same for every input; "
            + "drop one");
        ModelOptions.Require(ZFile is null || !string.IsNullOrWhiteSpace(ZFile), "z-file",
            "names no file");
        ModelOptions.Require(MaxBatch >= 1, "max-batch", $"must be at least 1, not {MaxBatch}");
        ModelOptions.Require(InterpolationKeys is 0 or (>= 2 and <= MaxSamples), "interp-keys",
            $"must be 0 (no animation) or between 2 and {MaxSamples}, not {InterpolationKeys}");
        ModelOptions.Require(InterpolationSteps is >= 1 and <= 100, "interp-steps",
            $"must be between 1 and 100, not {InterpolationSteps}");
        ModelOptions.Require(FrameDelay is >= 2 and <= 6000, "frame-delay",
            $"must be between 2 and 6000 hundredths of a second (browsers slow down shorter "
            + $"delays), not {FrameDelay}");
        return this;
    }
}
