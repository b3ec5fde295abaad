using System.Diagnostics;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace BicycleGan.Training;

/// <summary>
/// A whole training run in a run folder: options saved, epochs of batches through the
/// <see cref="Trainer"/>, losses logged, checkpoints written on their cadence, at the end and
/// when cancelled; or a previous run resumed exactly where its last checkpoint left it.
/// </summary>
public sealed class TrainingRun
{
    private readonly RunOptions _options;
    private readonly RunFolder _folder;
    private readonly ILogger _logger;
    private readonly ITrainingObserver? _observer;

    /// <param name="options">Resolved options; validated here.</param>
    /// <param name="folder">The run folder; created if needed.</param>
    public TrainingRun(RunOptions options, RunFolder folder, ILogger? logger = null, ITrainingObserver? observer = null)
    {
        _options = options.Validate();
        _folder = folder;
        _logger = logger ?? NullLogger.Instance;
        _observer = observer;
    }

    /// <summary>What a finished (or stopped) run reports.</summary>
    public sealed record Result(long Steps, bool Cancelled, string LatestCheckpoint, StepLosses? LastLosses);

    /// <summary>
    /// Trains on <paramref name="dataset"/>. With <paramref name="resume"/>, continues from the
    /// folder's latest checkpoint (or starts afresh, saying so, when it has none yet).
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds another run and neither resume nor overwrite was asked.</exception>
    public Result Run(IPairedDataset dataset, bool resume = false, bool overwrite = false,
        CancellationToken cancel = default)
    {
        PrepareFolder(resume, overwrite);
        var train = _options.Train;
        TorchRuntime.Initialize(train.Threads);
        random.manual_seed(train.Seed);

        using var model = BicycleGanModel.Create(_options.Model, train.Variant, _options.Loss);
        using var trainer = new Trainer(model, train, _options.Loss);
        var (epoch, skip) = (0, 0);
        string? latest = resume ? TrainingCheckpoint.Find(_folder.Latest) : null;
        if (latest is not null)
        {
            var state = TrainingCheckpoint.Restore(latest, model, trainer);
            (epoch, skip) = (state.Epoch, state.StepInEpoch);
            _logger.LogInformation("Resuming at step {Step} (epoch {Epoch}) from {Checkpoint}.", state.Step,
                state.Epoch, latest);
        }
        else if (resume)
        {
            _logger.LogInformation("No complete checkpoint in {Folder} yet: starting from the beginning.",
                _folder.CheckpointsFolder);
        }

        using var loader = BatchLoader.Create(dataset, _options.Data, train.BatchSize, train.Seed, training: true,
            _logger);
        var log = new LossLog(_folder.LossesFile, trainer.StepsDone);
        long total = TotalSteps(loader.StepsPerEpoch);
        var clock = Stopwatch.StartNew();
        long startStep = trainer.StepsDone;
        StepLosses? last = null;

        for (; epoch < train.Epochs && trainer.StepsDone < total; epoch++, skip = 0)
        {
            trainer.BeginEpoch(epoch);
            int stepInEpoch = skip;
            foreach (var batch in loader.Epoch(epoch, skip))
            {
                using (var realA = batch.ToTensorA())
                using (var realB = batch.ToTensorB())
                    last = trainer.Step(realA, realB);
                stepInEpoch++;
                var progress = new TrainingProgress(trainer.StepsDone, total, epoch, trainer.LearningRate, last,
                    clock.Elapsed, trainer.StepsDone - startStep);
                _observer?.OnStep(progress);
                if (trainer.StepsDone % train.PrintFreq == 0) Log(log, progress);
                if (trainer.StepsDone % train.DisplayFreq == 0) _observer?.OnDisplay(trainer.StepsDone, model);

                bool done = trainer.StepsDone >= total;
                bool stop = done || cancel.IsCancellationRequested;
                if (stop || trainer.StepsDone % train.SaveLatestFreq == 0)
                    Save(_folder.Latest, model, trainer, epoch, stepInEpoch, loader.StepsPerEpoch);
                if (stop)
                {
                    if (!done) _logger.LogInformation("Stopped at step {Step}; the latest checkpoint holds it.",
                        trainer.StepsDone);
                    _observer?.OnDisplay(trainer.StepsDone, model);
                    return new Result(trainer.StepsDone, !done, _folder.Latest, last);
                }
            }
            if ((epoch + 1) % train.SaveEpochFreq == 0)
                Save(_folder.EpochCheckpoint(epoch + 1), model, trainer, epoch, stepInEpoch, loader.StepsPerEpoch);
        }
        Save(_folder.Latest, model, trainer, epoch, 0, loader.StepsPerEpoch);
        _observer?.OnDisplay(trainer.StepsDone, model);
        return new Result(trainer.StepsDone, false, _folder.Latest, last);
    }

    /// <summary>Steps in all: every epoch of the schedule, or max-steps when that comes first.</summary>
    private long TotalSteps(int stepsPerEpoch)
    {
        long schedule = (long)stepsPerEpoch * _options.Train.Epochs;
        return _options.Train.MaxSteps > 0 ? Math.Min(schedule, _options.Train.MaxSteps) : schedule;
    }

    private void Save(string folder, BicycleGanModel model, Trainer trainer, int epoch, int stepInEpoch,
        int stepsPerEpoch)
    {
        // A finished epoch resumes at the start of the next one.
        if (stepInEpoch >= stepsPerEpoch) (epoch, stepInEpoch) = (epoch + 1, 0);
        TrainingCheckpoint.Save(folder, model, trainer, _options.Train.Variant, epoch, stepInEpoch);
        _observer?.OnCheckpoint(folder, trainer.StepsDone);
    }

    private void Log(LossLog log, TrainingProgress p)
    {
        log.Append(p);
        _logger.LogInformation("step {Step}/{Total} epoch {Epoch} lr {Lr:G3} {Losses}", p.Step, p.TotalSteps, p.Epoch,
            p.LearningRate, string.Join(" ", StepLosses.Names.Zip(p.Losses.Values, (n, v) => $"{n} {v:F3}")));
    }

    private void PrepareFolder(bool resume, bool overwrite)
    {
        if (_folder.HoldsRun && !resume && !overwrite)
            throw new InvalidOperationException(
                $"Run folder '{_folder.Root}' already holds a run. Use --resume to continue it, --overwrite to " +
                "replace it, or choose another --out folder.");
        if (_folder.HoldsRun && resume)
        {
            var saved = _folder.ReadOptions().Validate();
            if (saved.Model != _options.Model)
                throw new InvalidOperationException(
                    $"Run folder '{_folder.Root}' was trained with another architecture; resume it with its own " +
                    $"options ({_folder.OptionsFile}) or train into a new folder.");
        }
        if (overwrite && _folder.HoldsRun)
        {
            if (Directory.Exists(_folder.CheckpointsFolder)) Directory.Delete(_folder.CheckpointsFolder, recursive: true);
            File.Delete(_folder.LossesFile);
        }
        Directory.CreateDirectory(_folder.Root);
        AtomicFile.WriteAllBytes(_folder.OptionsFile, System.Text.Encoding.UTF8.GetBytes(OptionsJson.Serialize(_options)));
    }
}
