using System.Diagnostics;

namespace BicycleGan.Tests.Cli;

/// <summary>
/// The real command line running in the background, its output collected line by line, so a
/// test can wait for a moment of the run and then end it with SIGKILL.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _error = [];
    private readonly Lock _gate = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Out
    {
        get
        {
            lock (_gate) return string.Join('\n', _out);
        }
    }

    public string Error
    {
        get
        {
            lock (_gate) return string.Join('\n', _error);
        }
    }

    public static CliProcess Start(params string[] args)
    {
        var process = new Process { StartInfo = CliRunner.StartInfo(args) };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Add(cli._out, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Add(cli._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// Waits until an output line starts with <paramref name="prefix"/>; false if the process
    /// ended first.
    /// </summary>
    public bool WaitForLine(string prefix, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_gate)
            {
                if (_out.Any(l => l.StartsWith(prefix, StringComparison.Ordinal))) return true;
            }
            if (_process.HasExited) return false;
            Thread.Sleep(5);
        }
        throw new TimeoutException($"No line starting '{prefix}' in {timeout}: {Out}\n{Error}");
    }

    /// <summary>Ends the process with SIGKILL, as a crash or an out-of-memory killer would.</summary>
    public void KillHard()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It ended on its own just before.
        }
        _process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            KillHard();
            throw new TimeoutException($"bicyclegan did not finish in {timeout}: {Out}\n{Error}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null) return;
        lock (_gate) lines.Add(line);
    }
}
