using System.Diagnostics;

namespace BicycleGan.Tests.Cli;

/// <summary>Runs the real command line (the built BicycleGan.Cli.dll) as a user would, in a child process.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        public string All => Out + Error;
    }

    /// <summary>Flags for a network small enough to train a few steps in seconds, on 32 px shapes.</summary>
    public static readonly string[] TinyTraining =
    [
        "--data", "builtin:shapes?size=32&train=16&val=4&test=4", "--ngf", "4", "--nef", "4", "--ndf", "4",
        "--num-downs", "5", "--encoder-blocks", "3", "--d-layers", "2", "--crop-size", "32", "--load-size", "32",
        "--preprocess", "none", "--batch-size", "4", "--threads", "1", "--workers", "1", "--print-freq", "1",
    ];

    /// <summary>How to start the CLI dll next to the tests with <paramref name="args"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BicycleGan.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public static Outcome Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicyclegan {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
