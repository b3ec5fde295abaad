namespace BicycleGan.Training;

/// <summary>
/// Hooks a front end (or a report writer) attaches to a run. Called on the training thread
/// between steps; the model is in training mode and must be handed back unchanged.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>After every step.</summary>
    void OnStep(TrainingProgress progress) { }

    /// <summary>Every display-freq steps and at the end: a moment to render samples of the model.</summary>
    void OnDisplay(long step, BicycleGanModel model) { }

    /// <summary>After a checkpoint folder was written completely.</summary>
    void OnCheckpoint(string folder, long step) { }
}
