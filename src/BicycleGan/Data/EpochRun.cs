using System.Runtime.ExceptionServices;

namespace BicycleGan.Data;

/// <summary>
/// One epoch's worth of background decoding. Workers claim positions of the epoch's order in
/// sequence and may run at most <c>window</c> examples ahead of the consumer, so memory stays
/// bounded however fast the workers are; the consumer takes results strictly in order, so the
/// batches do not depend on thread timing.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly Func<int, Outcome> _compute;
    private readonly Action<EpochRun> _finished;
    private readonly int _length;
    private readonly int _window;
    private readonly Outcome?[] _results;
    private readonly Thread[] _threads;
    private readonly object _gate = new(); // Monitor, for Wait and PulseAll
    private int _next;
    private int _consumed;
    private bool _stopping;

    /// <param name="compute">Decodes position i of the order; must not throw.</param>
    /// <param name="start">First position to produce (skipped positions are never decoded).</param>
    /// <param name="length">Positions in the order.</param>
    /// <param name="workers">Threads; 0 computes on the consumer's thread.</param>
    /// <param name="window">Most examples produced but not yet taken.</param>
    /// <param name="finished">Called once when the run is disposed.</param>
    public EpochRun(Func<int, Outcome> compute, int start, int length, int workers, int window,
        Action<EpochRun> finished)
    {
        _compute = compute;
        _finished = finished;
        _length = length;
        _window = Math.Max(window, workers);
        _results = new Outcome?[length];
        _next = start;
        _consumed = start;
        _threads = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"BicycleGan data worker {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>The result at <paramref name="position"/>, waiting for a worker if needed.</summary>
    public Outcome Take(int position)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopping), this);
        if (_threads.Length == 0) return _compute(position);
        lock (_gate)
        {
            while (_results[position] is null && !_stopping) Monitor.Wait(_gate);
            ObjectDisposedException.ThrowIf(_stopping, this);
            var outcome = _results[position]!;
            _results[position] = null;
            _consumed = position + 1;
            Monitor.PulseAll(_gate);
            return outcome;
        }
    }

    /// <summary>Stops the workers after their current example and waits for them.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            // The loader's Dispose and the consumer's using may both arrive here.
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread) thread.Join();
        }
        _finished(this);
    }

    private void Work()
    {
        while (true)
        {
            int position;
            lock (_gate)
            {
                while (!_stopping && _next < _length && _next - _consumed >= _window) Monitor.Wait(_gate);
                if (_stopping || _next >= _length) return;
                position = _next++;
            }
            var outcome = _compute(position);
            lock (_gate)
            {
                _results[position] = outcome;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>An example or the exception that stopped it, captured with its stack.</summary>
    internal sealed record Outcome(PairedImage? Image, ExceptionDispatchInfo? Error);
}
