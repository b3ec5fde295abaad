namespace BicycleGan.Training;

/// <summary>
/// A loss became NaN or infinite. It is raised before any network of the step is updated, so
/// the weights, the optimizer states and the last checkpoint stay as they were.
/// </summary>
public sealed class NonFiniteLossException(long step, string loss, double value)
    : Exception($"Training diverged at step {step}: loss {loss} is {value}. No network was updated "
                + "with it and the last checkpoint is intact; lower the learning rate or check the data, "
                + "then resume, or pass --skip-nonfinite to skip such steps.")
{
    /// <summary>The step (1-based) whose loss was not finite.</summary>
    public long Step { get; } = step;

    /// <summary>The loss's name, as in <see cref="StepLosses.Names"/>.</summary>
    public string Loss { get; } = loss;

    /// <summary>NaN, +inf or -inf.</summary>
    public double Value { get; } = value;
}
