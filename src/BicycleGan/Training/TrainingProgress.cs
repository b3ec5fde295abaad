namespace BicycleGan.Training;

/// <summary>What a front end hears after every step: where the run stands and the step's losses.</summary>
/// <param name="Step">Steps taken in all.</param>
/// <param name="TotalSteps">Steps the run will take (schedule or max-steps).</param>
/// <param name="Epoch">Epoch of the step, from 0.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="Losses">The step's losses.</param>
/// <param name="Elapsed">Wall time since this process started training.</param>
/// <param name="StepsThisSession">Steps taken by this process (for speed and ETA on resume).</param>
public sealed record TrainingProgress(long Step, long TotalSteps, int Epoch, double LearningRate, StepLosses Losses,
    TimeSpan Elapsed, long StepsThisSession);
