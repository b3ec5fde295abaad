namespace BicycleGan.Training;

/// <summary>Several observers heard as one, in the order given.</summary>
public sealed class TrainingObservers(params ITrainingObserver[] observers) : ITrainingObserver
{
    public void OnStep(TrainingProgress progress)
    {
        foreach (var o in observers) o.OnStep(progress);
    }

    public void OnDisplay(long step, BicycleGanModel model)
    {
        foreach (var o in observers) o.OnDisplay(step, model);
    }

    public void OnCheckpoint(string folder, long step)
    {
        foreach (var o in observers) o.OnCheckpoint(folder, step);
    }
}
