using BicycleGan.Checkpoints;
using BicycleGan.Cli;
using BicycleGan.Cli.Commands;
using BicycleGan.Data;
using BicycleGan.Training;

ICommand[] commands =
[
    new DemoCommand(), new TrainCommand(), new SampleCommand(), new InterpolateCommand(), new EvaluateCommand(),
    new ExperimentCommand(), new DataCommand(), new ImportCommand(), new ExportCommand(), new BenchCommand(),
];
CommandLine line;
try
{
    line = CommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"bicyclegan: {e.Message}");
    return 2;
}

if (line.Verb is "help" or "--help")
{
    WriteHelp();
    return 0;
}
var command = commands.FirstOrDefault(c => c.Name == line.Verb);
if (command is null)
{
    Console.Error.WriteLine($"bicyclegan: '{line.Verb}' is not a command. Commands: " +
                            $"{string.Join(", ", commands.Select(c => c.Name))}; see bicyclegan --help.");
    return 2;
}
if (line.Has("help") || line.Positional.Contains("--help"))
{
    command.WriteHelp(Console.Out);
    return 0;
}

// The first Ctrl+C asks the run to stop after the current step (a checkpoint is written);
// a second one ends the process at once.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    Console.Error.WriteLine("\nbicyclegan: stopping after this step (Ctrl+C again to quit at once)...");
    cancel.Cancel();
};

try
{
    return command.Run(line, cancel.Token);
}
catch (Exception e) when (e is UsageException or ArgumentException or InvalidOperationException
                              or DatasetException or BadImageException or CheckpointFormatException
                              or StateDictMismatchException or NonFiniteLossException or RunFolderException
                              or IOException or UnauthorizedAccessException or BicycleGan.Sampling.ZFileException)
{
    Console.Error.WriteLine($"bicyclegan {line.Verb}: {e.Message}");
    if (line.Verbose) Console.Error.WriteLine(e);
    return e is UsageException ? 2 : 1;
}
catch (Exception e)
{
    // libtorch appends its native backtrace to its messages: the first line is the message.
    string message = line.Verbose ? e.Message : e.Message.Split('\n')[0].Trim();
    Console.Error.WriteLine($"bicyclegan {line.Verb}: unexpected error: {message}");
    Console.Error.WriteLine(line.Verbose ? e.ToString() : "Run again with --verbose for the details.");
    return 70;
}

void WriteHelp()
{
    Console.WriteLine("""
        bicyclegan: multimodal image-to-image translation (BicycleGAN, Zhu et al. 2017) for .NET

        Usage: bicyclegan <command> [options]   (bicyclegan <command> --help for its options)

        Commands:
        """);
    foreach (var c in commands) Console.WriteLine($"  {c.Name,-12} {c.Summary}");
}
