using System.Runtime.ExceptionServices;
using BicycleGan.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BicycleGan.Data;

/// <summary>
/// Turns a dataset into batches, decoding ahead of the consumer on background threads. The
/// epoch's order (a shuffle when training, dataset order otherwise) and every augmentation are
/// pure functions of (seed, epoch, index), so two loaders with the same seed yield byte-equal
/// batches, and a resumed run reaches the same batch k by skipping without decoding.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly IPairedDataset _dataset;
    private readonly int _seed;
    private readonly int _prefetchBatches;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SkippedFile> _skipped = new(StringComparer.Ordinal);
    private readonly List<SkippedFile> _skippedInOrder = [];
    private readonly HashSet<EpochRun> _runs = [];
    private bool _droppedReported;
    private bool _disposed;

    /// <param name="dataset">Examples to batch.</param>
    /// <param name="batchSize">Examples per batch; even when training, because each training batch
    /// is split into two halves (one per BicycleGAN cycle).</param>
    /// <param name="seed">Names the shuffle and augmentation streams.</param>
    /// <param name="training">Shuffle, random crop and flip, and drop the short last batch; when
    /// false, dataset order, centre crops, no flips, and the last batch may be short.</param>
    /// <param name="workers">Decoding threads; 0 decodes on the consumer. Default 2.</param>
    /// <param name="skipBad">Skip and list files that raise <see cref="BadImageException"/>
    /// instead of stopping the epoch. Default false.</param>
    /// <param name="prefetchBatches">Batches decoded ahead of the consumer at most. Default 4.</param>
    /// <param name="logger">Receives the dropped-examples notice and skipped files.</param>
    public BatchLoader(IPairedDataset dataset, int batchSize, int seed, bool training, int workers = 2,
        bool skipBad = false, int prefetchBatches = 4, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetchBatches, 1);
        if (training && batchSize % 2 != 0)
        {
            throw new ArgumentException($"The training batch size must be even, not {batchSize}: each "
                + "training batch is split into two halves, one per BicycleGAN cycle.", nameof(batchSize));
        }
        if (training && dataset.Count < batchSize)
        {
            throw new ArgumentException($"The dataset has {dataset.Count} examples, fewer than one "
                + $"training batch of {batchSize}.", nameof(batchSize));
        }
        _dataset = dataset;
        _seed = seed;
        _prefetchBatches = prefetchBatches;
        _logger = logger ?? NullLogger.Instance;
        BatchSize = batchSize;
        Training = training;
        Workers = workers;
        SkipBad = skipBad;
    }

    /// <summary>A loader using <paramref name="options"/>' Workers and SkipBad.</summary>
    public static BatchLoader Create(IPairedDataset dataset, DataOptions options, int batchSize, int seed,
        bool training, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BatchLoader(dataset, batchSize, seed, training, options.Workers, options.SkipBad,
            logger: logger);
    }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether batches are shuffled and augmented.</summary>
    public bool Training { get; }

    /// <summary>Decoding threads (0 = on the consumer's thread).</summary>
    public int Workers { get; }

    /// <summary>Whether bad files are skipped rather than fatal.</summary>
    public bool SkipBad { get; }

    /// <summary>
    /// Batches per epoch: Count / BatchSize when training (rounded down), rounded up otherwise.
    /// Skipped bad files can make an epoch end up to their number of batches early.
    /// </summary>
    public int StepsPerEpoch => Training
        ? _dataset.Count / BatchSize
        : (_dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>
    /// Examples left out of every training epoch because they would form a short last batch
    /// (each epoch's shuffle leaves out different ones); 0 when not training.
    /// </summary>
    public int DroppedPerEpoch => Training ? _dataset.Count % BatchSize : 0;

    /// <summary>Files skipped so far because they could not be used, each listed once.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles
    {
        get
        {
            lock (_skipped) return _skippedInOrder.ToArray();
        }
    }

    /// <summary>
    /// Dataset indices in the order epoch <paramref name="epoch"/> visits them: a permutation
    /// that depends only on (seed, epoch) when training, 0 … Count − 1 otherwise.
    /// </summary>
    public int[] Order(int epoch)
    {
        if (!Training) return Enumerable.Range(0, _dataset.Count).ToArray();
        return SplitMix.For(AugmentParams.ShuffleStream, _seed, epoch).Permutation(_dataset.Count);
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, starting after <paramref name="skipBatches"/>
    /// batches (their examples are not decoded). Workers start when enumeration starts and stop
    /// when it ends, including when the consumer stops early or the loader is disposed.
    /// </summary>
    /// <remarks>
    /// Skipping counts positions in the epoch's order, so a resumed epoch matches the original
    /// batch for batch when no bad file was skipped before the resume point; with skipped files
    /// the remaining batches are the same examples regrouped.
    /// </remarks>
    /// <exception cref="BadImageException">A file is bad and SkipBad is off (thrown when the
    /// enumeration reaches it).</exception>
    public IEnumerable<HostBatch> Epoch(int epoch, int skipBatches = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        ReportDroppedOnce();
        int[] order = Order(epoch);
        int start = (int)Math.Min((long)skipBatches * BatchSize, order.Length);
        return Batches(order, epoch, start);
    }

    /// <summary>Stops any running epoch's workers and waits for them.</summary>
    public void Dispose()
    {
        EpochRun[] runs;
        lock (_runs)
        {
            _disposed = true;
            runs = [.. _runs];
        }
        foreach (var run in runs) run.Dispose();
    }

    private IEnumerable<HostBatch> Batches(int[] order, int epoch, int start)
    {
        using var run = StartRun(order, epoch, start);
        var pending = new List<PairedImage>(BatchSize);
        var indices = new List<int>(BatchSize);
        for (int position = start; position < order.Length; position++)
        {
            var outcome = run.Take(position);
            if (outcome.Error is not null)
            {
                if (SkipBad && outcome.Error.SourceException is BadImageException bad) Remember(bad);
                else outcome.Error.Throw();
                continue;
            }
            pending.Add(outcome.Image!);
            indices.Add(order[position]);
            if (pending.Count < BatchSize) continue;
            yield return BatchAssembly.Assemble(pending, indices);
            pending.Clear();
            indices.Clear();
        }
        if (pending.Count > 0 && !Training) yield return BatchAssembly.Assemble(pending, indices);
    }

    private EpochRun StartRun(int[] order, int epoch, int start)
    {
        lock (_runs)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var run = new EpochRun(position => Produce(order, epoch, position), start, order.Length,
                Workers, _prefetchBatches * BatchSize, Forget);
            _runs.Add(run);
            return run;
        }
    }

    private EpochRun.Outcome Produce(int[] order, int epoch, int position)
    {
        int index = order[position];
        var aug = Training ? AugmentParams.ForExample(_seed, epoch, index) : AugmentParams.Evaluation;
        try
        {
            return new EpochRun.Outcome(_dataset.Load(index, aug), null);
        }
#pragma warning disable CA1031 // Every failure is handed to the consumer, which decides.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new EpochRun.Outcome(null, ExceptionDispatchInfo.Capture(e));
        }
    }

    private void Remember(BadImageException bad)
    {
        lock (_skipped)
        {
            if (_skipped.ContainsKey(bad.FilePath)) return;
            var file = new SkippedFile(bad.FilePath, bad.Problem);
            _skipped.Add(bad.FilePath, file);
            _skippedInOrder.Add(file);
        }
        _logger.LogWarning("Skipped {Path}: {Problem}", bad.FilePath, bad.Problem);
    }

    private void ReportDroppedOnce()
    {
        if (_droppedReported || DroppedPerEpoch == 0) return;
        _droppedReported = true;
        _logger.LogInformation("{Dropped} of {Count} examples are left out of each epoch so that every "
            + "training batch holds {BatchSize}.", DroppedPerEpoch, _dataset.Count, BatchSize);
    }

    private void Forget(EpochRun run)
    {
        lock (_runs) _runs.Remove(run);
    }
}
