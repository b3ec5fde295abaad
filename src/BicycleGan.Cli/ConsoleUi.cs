using BicycleGan.Training;
using Microsoft.Extensions.Logging;

namespace BicycleGan.Cli;

/// <summary>
/// The console while training: on a terminal, one progress line (bar, step, ETA, latest losses)
/// redrawn in place with log messages printed above it; in a pipe or CI, plain log lines only.
/// </summary>
internal sealed class ConsoleUi : ILogger, ITrainingObserver
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private readonly Lock _gate = new();
    private DateTime _lastDraw = DateTime.MinValue;
    private string _bar = "";

    public bool Verbose { get; init; }

    public void OnStep(TrainingProgress p)
    {
        if (!_interactive) return;
        var now = DateTime.UtcNow;
        if (now - _lastDraw < Redraw && p.Step < p.TotalSteps) return;
        _lastDraw = now;
        double share = p.TotalSteps == 0 ? 1 : (double)p.Step / p.TotalSteps;
        int width = 24;
        int filled = (int)Math.Round(share * width);
        double perStep = p.StepsThisSession == 0 ? 0 : p.Elapsed.TotalSeconds / p.StepsThisSession;
        var eta = TimeSpan.FromSeconds(perStep * (p.TotalSteps - p.Step));
        string losses = string.Join(" ", StepLosses.Names.Zip(p.Losses.Values)
            .Where(l => l.Second != 0).Select(l => $"{l.First} {l.Second:F3}"));
        lock (_gate)
        {
            string bar = new string('#', filled) + new string('-', width - filled);
            _bar = $"[{bar}] {share,4:P0} step {p.Step}/{p.TotalSteps} epoch {p.Epoch} ETA {Format(eta)} | {losses}";
            int columns = SafeWidth();
            if (_bar.Length > columns - 1) _bar = _bar[..(columns - 1)];
            Console.Write("\r" + _bar.PadRight(columns - 1));
        }
    }

    /// <summary>Ends the progress line so later output starts on a fresh line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_interactive && _bar.Length > 0) Console.WriteLine();
            _bar = "";
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        string message = formatter(state, exception);
        // On a terminal the progress line already shows the losses.
        if (_interactive && message.StartsWith("step ", StringComparison.Ordinal) && !Verbose) return;
        lock (_gate)
        {
            if (_interactive && _bar.Length > 0) Console.Write("\r" + new string(' ', SafeWidth() - 1) + "\r");
            var writer = logLevel >= LogLevel.Warning ? Console.Error : Console.Out;
            writer.WriteLine(logLevel >= LogLevel.Warning ? $"warning: {message}" : message);
            if (_interactive && _bar.Length > 0) Console.Write(_bar);
        }
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (Verbose ? LogLevel.Debug : LogLevel.Information);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");

    private static int SafeWidth()
    {
        try
        {
            return Math.Max(40, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
