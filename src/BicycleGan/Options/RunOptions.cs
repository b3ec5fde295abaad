using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>
/// Every resolved option of a run: preset ← config file ← flags, validated once and saved as the
/// run folder's <c>options.json</c>. The data's channel counts and size multiple follow the model's.
/// </summary>
public sealed record RunOptions
{
    /// <summary>The preset the run started from (for the record; the sections hold the values).</summary>
    public string Preset { get; init; } = Presets.Official256;

    public ModelOptions Model { get; init; } = new();

    public LossWeights Loss { get; init; } = new();

    public TrainOptions Train { get; init; } = new();

    public DataOptions Data { get; init; } = new();

    /// <summary>The same options with the data shaped as the model needs it, after checking every section.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public RunOptions Validate()
    {
        var run = this with
        {
            Data = Data with
            {
                InputChannels = Model.InputChannels,
                OutputChannels = Model.OutputChannels,
                SizeMultiple = Model.SizeMultiple,
            },
        };
        run.Data.Validate();
        run.Model.Validate(run.Data.CropSize);
        run.Loss.Validate();
        run.Train.Validate();
        return run;
    }

    /// <summary>The loss weights the chosen variant trains with.</summary>
    [JsonIgnore]
    public LossWeights EffectiveLoss => Loss.For(Train.Variant);
}
