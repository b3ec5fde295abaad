namespace BicycleGan.Training;

/// <summary>A loss became NaN or infinite; the step's updates that had not happened yet were not applied.</summary>
public sealed class NonFiniteLossException(long step, string loss, double value)
    : Exception($"Training diverged at step {step}: loss {loss} is {value}. The weights were not updated " +
                "with it; lower the learning rate or check the data, then resume from the last checkpoint.")
{
    public long Step { get; } = step;

    public string Loss { get; } = loss;
}
