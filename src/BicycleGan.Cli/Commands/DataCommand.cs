using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Cli.Commands;

internal sealed class DataCommand : ICommand
{
    public string Name => "data";

    public string Summary => "make a built-in dataset as image files, or inspect a dataset";

    public void WriteHelp(TextWriter output) => output.WriteLine($"""
        Usage: bicyclegan data make NAME --out DIR [--seed S]
               bicyclegan data inspect DIR|builtin:NAME [--phase train|val|test] [--dataset-mode aligned|paired|single]

          make      writes built-in dataset NAME ({string.Join(", ", BuiltinDatasets.Names)}) as an aligned folder:
                    DIR/train, DIR/val, DIR/test of A|B PNG files (NAME may carry keys, e.g. shapes?size=128)
          inspect   reads a dataset as training would and reports its pairs, sizes and unreadable files
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string action = line.Positional.Count > 0 ? line.Positional[0] : "";
        string? target = line.Positional.Count > 1 ? line.Positional[1] : null;
        switch (action)
        {
            case "make":
            {
                string name = target ?? throw new UsageException(
                    "Missing the dataset name: bicyclegan data make shapes --out DIR");
                string outDir = line.Require("out", "the folder to write the dataset into");
                int seed = line.Int("seed", 0);
                RejectUnread(line);
                int written = BuiltinDatasets.Make(name, outDir, seed);
                Console.WriteLine($"Wrote {written} images of builtin:{name} to {Path.GetFullPath(outDir)}");
                return 0;
            }
            case "inspect":
            {
                string source = target ?? throw new UsageException("Missing the dataset: bicyclegan data inspect DIR");
                var flags = line.Unread().Where(kv => OptionsJson.Find(kv.Key)?.Section == "data").ToList();
                line.MarkRead(flags.Select(kv => kv.Key));
                RejectUnread(line);
                var start = new RunOptions { Data = new DataOptions { SkipBad = true } };
                var options = OptionsJson.ApplyFlags(start, flags).Data;
                Inspect(source, options);
                return 0;
            }
            default:
                throw new UsageException($"'data {action}' is not a data command; use 'data make' or 'data inspect'.");
        }
    }

    private static void Inspect(string source, DataOptions options)
    {
        var dataset = DatasetFactory.Open(source, options, 0);
        Console.WriteLine($"{source} ({options.Phase}): {dataset.Count} examples");
        using var loader = new BatchLoader(dataset, 1, 0, training: false, workers: options.Workers, skipBad: true);
        int shown = 0;
        foreach (var batch in loader.Epoch(0))
        {
            if (shown++ < 3)
                Console.WriteLine($"  {batch.Sources[0]}: A {batch.ChannelsA}×{batch.Height}×{batch.Width}" +
                                  (batch.B is null ? "" : $", B {batch.ChannelsB}×{batch.Height}×{batch.Width}"));
        }
        Console.WriteLine(loader.SkippedFiles.Count == 0
            ? "  every file is readable"
            : $"  {loader.SkippedFiles.Count} unreadable files:");
        foreach (var skipped in loader.SkippedFiles) Console.WriteLine($"    {skipped}");
    }

    private static void RejectUnread(CommandLine line)
    {
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan data --help'.");
    }
}
