using BicycleGan.Options;

namespace BicycleGan.Checkpoints;

/// <summary>
/// What a checkpoint folder's <c>state.json</c> records besides the tensors: where training
/// stood and which architecture the weights belong to.
/// </summary>
/// <param name="FormatVersion">Version of this folder layout; readers refuse newer ones.</param>
/// <param name="Step">Training steps taken when the checkpoint was written.</param>
/// <param name="Epoch">The epoch the next step belongs to.</param>
/// <param name="StepInEpoch">Steps of that epoch already taken (batches to skip on resume).</param>
/// <param name="Variant">The model variant trained.</param>
/// <param name="Model">The architecture of the saved networks.</param>
/// <param name="Networks">Names of the networks saved (G, E, D, D2).</param>
/// <param name="SavedUtc">When it was written.</param>
/// <param name="HasTrainingState">
/// Whether optimizer and generator state were saved; false for weights imported from elsewhere,
/// which resume with fresh optimizers.
/// </param>
public sealed record CheckpointState(int FormatVersion, long Step, int Epoch, int StepInEpoch, ModelVariant Variant,
    ModelOptions Model, IReadOnlyList<string> Networks, DateTimeOffset SavedUtc, bool HasTrainingState = true)
{
    /// <summary>The layout version this build writes and reads.</summary>
    public const int CurrentFormat = 1;
}
