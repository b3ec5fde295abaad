namespace BicycleGan.Cli.Commands;

/// <summary>One verb of the command line.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>One line for the list of verbs.</summary>
    string Summary { get; }

    /// <summary>The full --help text of the verb.</summary>
    void WriteHelp(TextWriter output);

    /// <returns>The process exit code.</returns>
    int Run(CommandLine line, CancellationToken cancel);
}
