namespace BicycleGan.Sampling;

/// <summary>
/// Puts a model in evaluation mode (dropout off, running statistics) until disposed, then back
/// in the mode it was in, so a sample page written during training leaves training as it was.
/// </summary>
internal sealed class EvaluationMode : IDisposable
{
    private readonly BicycleGanModel _model;
    private readonly bool _wasTraining;

    public EvaluationMode(BicycleGanModel model)
    {
        _model = model;
        _wasTraining = model.G.training;
        model.Train(false);
    }

    public void Dispose() => _model.Train(_wasTraining);
}
