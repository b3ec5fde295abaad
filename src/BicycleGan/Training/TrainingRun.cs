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
    /// <param name="SkippedSteps">Steps skipped for a non-finite loss by this call (SkipNonFinite).</param>
    public sealed record Result(long Steps, bool Cancelled, string LatestCheckpoint, StepLosses? LastLosses,
        long SkippedSteps = 0);

    /// <summary>Free bytes on the disk holding a folder; tests replace it to simulate a full disk.</summary>
    internal Func<string, long> FreeBytes { get; init; } = folder => new DriveInfo(folder).AvailableFreeSpace;

    /// <summary>Test seam handed to the <see cref="Trainer.PoisonLoss"/> of the run's trainer.</summary>
    internal Func<long, string, bool>? PoisonLoss { get; init; }

    /// <summary>
    /// Trains on <paramref name="dataset"/>. With <paramref name="resume"/>, continues from the
    /// folder's latest checkpoint (or starts afresh, saying so, when it has none yet).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The folder holds another run and neither resume nor overwrite was asked.
    /// </exception>
    /// <exception cref="RunFolderException">
    /// The folder is not writable, its disk lacks room for two checkpoints, or another process trains into it.
    /// </exception>
    /// <exception cref="NonFiniteLossException">
    /// A loss was NaN or infinite (and SkipNonFinite is off); the last checkpoint is left as it was.
    /// </exception>
    public Result Run(IPairedDataset dataset, bool resume = false, bool overwrite = false,
        CancellationToken cancel = default)
    {
        CreateRoot();
        using var runLock = RunLock.Acquire(_folder);
        CheckFolder(resume, overwrite);
        var train = _options.Train;
        TorchRuntime.Initialize(train.Threads);
        random.manual_seed(train.Seed);

        using var model = BicycleGanModel.Create(_options.Model, train.Variant, _options.Loss);
        using var trainer = new Trainer(model, train, _options.Loss) { PoisonLoss = PoisonLoss };
        CheckFreeSpace(model, resume, overwrite);
        PrepareFolder(overwrite);
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
                if (last.FirstNonFinite() is { } culprit)
                    _logger.LogWarning("Step {Step} skipped: loss {Loss} is not finite; no network was updated.",
                        trainer.StepsDone, culprit);
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
                    return Finish(trainer, !done, last);
                }
            }
            if ((epoch + 1) % train.SaveEpochFreq == 0)
                Save(_folder.EpochCheckpoint(epoch + 1), model, trainer, epoch, stepInEpoch, loader.StepsPerEpoch);
        }
        Save(_folder.Latest, model, trainer, epoch, 0, loader.StepsPerEpoch);
        _observer?.OnDisplay(trainer.StepsDone, model);
        return Finish(trainer, false, last);
    }

    private Result Finish(Trainer trainer, bool cancelled, StepLosses? last)
    {
        if (trainer.SkippedSteps > 0)
            _logger.LogWarning("{Skipped} steps were skipped for a non-finite loss.", trainer.SkippedSteps);
        return new Result(trainer.StepsDone, cancelled, _folder.Latest, last, trainer.SkippedSteps);
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

    private void CreateRoot()
    {
        try
        {
            Directory.CreateDirectory(_folder.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderException(_folder.Root,
                $"Run folder '{_folder.Root}' cannot be created: {e.Message} Choose another --out folder.", e);
        }
    }

    /// <summary>Refusals that must come before anything in the folder changes.</summary>
    private void CheckFolder(bool resume, bool overwrite)
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
    }

    /// <summary>
    /// Bytes one checkpoint needs: every parameter as float32 for the weights and twice more for
    /// Adam's two moments (JSON, RNG state and headers are small change).
    /// </summary>
    internal static long CheckpointBytes(BicycleGanModel model) =>
        model.Networks.Sum(n => n.Network.parameters().Sum(p => p.numel())) * sizeof(float) * 3;

    /// <summary>
    /// Refuses to start when the disk cannot hold the latest checkpoint and the staging copy that
    /// replaces it; files the run is about to replace or delete count as room.
    /// </summary>
    private void CheckFreeSpace(BicycleGanModel model, bool resume, bool overwrite)
    {
        long checkpoint = CheckpointBytes(model);
        long reclaimed = overwrite && _folder.HoldsRun ? FolderBytes(_folder.CheckpointsFolder)
            : resume ? FolderBytes(_folder.Latest)
            : 0;
        long needed = Math.Max(0, 2 * checkpoint - reclaimed);
        long free;
        try
        {
            free = FreeBytes(_folder.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Some mounts cannot report free space; the run goes on as it did before this check.
            _logger.LogWarning("Could not measure the free space under {Folder} ({Reason}); not checked.",
                _folder.Root, e.Message);
            return;
        }
        if (free < needed)
            throw new RunFolderException(_folder.Root,
                $"Run folder '{_folder.Root}' is on a disk with {Megabytes(free)} free, but a checkpoint of this " +
                $"model takes about {Megabytes(checkpoint)} and the latest one is written beside the previous " +
                $"one, so {Megabytes(needed)} are needed. Free some space or choose another --out folder.");
    }

    private static long FolderBytes(string folder) => Directory.Exists(folder)
        ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
        : 0;

    private static string Megabytes(long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");

    private void PrepareFolder(bool overwrite)
    {
        if (overwrite && _folder.HoldsRun)
        {
            if (Directory.Exists(_folder.CheckpointsFolder))
                Directory.Delete(_folder.CheckpointsFolder, recursive: true);
            File.Delete(_folder.LossesFile);
        }
        byte[] json = System.Text.Encoding.UTF8.GetBytes(OptionsJson.Serialize(_options));
        AtomicFile.WriteAllBytes(_folder.OptionsFile, json);
    }
}
