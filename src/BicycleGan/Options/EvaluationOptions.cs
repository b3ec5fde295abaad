namespace BicycleGan.Options;

/// <summary>
/// The protocol of one evaluation. Defaults follow the BicycleGAN paper's diversity protocol
/// (20 random samples per input, 100 inputs) and NDB with 20 bins.
/// </summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// Random samples per input, 2 to <see cref="SamplingOptions.MaxSamples"/>. Default 20.
    /// </summary>
    public int Samples { get; init; } = 20;

    /// <summary>
    /// Inputs from the start of the split, 1 to <see cref="SamplingOptions.MaxInputs"/>.
    /// Default 100.
    /// </summary>
    public int Inputs { get; init; } = 100;

    /// <summary>Seed of the random codes and of the k-means initialisation. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// k-means bins for NDB. Default 20; lowered to the number of real images when fewer inputs
    /// are evaluated (the result records both).
    /// </summary>
    public int NdbBins { get; init; } = 20;

    /// <summary>Largest side images are box-averaged to before NDB bins them. Default 16.</summary>
    public int NdbSide { get; init; } = 16;

    /// <summary>Most images G makes in one call. Default 16.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>Inputs whose samples are kept for the report's grid. Default 4.</summary>
    public int GridInputs { get; init; } = 4;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public EvaluationOptions Validate()
    {
        ModelOptions.Require(Samples is >= 2 and <= SamplingOptions.MaxSamples, "samples",
            $"must be between 2 (diversity compares consecutive samples) and "
            + $"{SamplingOptions.MaxSamples}, not {Samples}");
        ModelOptions.Require(Inputs is >= 1 and <= SamplingOptions.MaxInputs, "inputs",
            $"must be between 1 and {SamplingOptions.MaxInputs}, not {Inputs}");
        ModelOptions.Require(NdbBins >= 2, "ndb-bins", $"must be at least 2, not {NdbBins}");
        ModelOptions.Require(NdbSide >= 1, "ndb-side", $"must be at least 1, not {NdbSide}");
        ModelOptions.Require(MaxBatch >= 1, "max-batch", $"must be at least 1, not {MaxBatch}");
        ModelOptions.Require(GridInputs >= 0, "grid-inputs",
            $"must be at least 0, not {GridInputs}");
        return this;
    }
}
