using BicycleGan.Checkpoints;

namespace BicycleGan.Cli.Commands;

internal sealed class ExportCommand : ICommand
{
    public string Name => "export";

    public string Summary => "write a model's networks as PyTorch .pth or safetensors files";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan export --model RUN --format pytorch|safetensors --out DIR

        Writes latest_net_G.pth, latest_net_E.pth (and D, D2 when the checkpoint has them) in the
        official layout, which PyTorch loads with load_state_dict(strict=True) into the official
        networks; or net_G.safetensors … for other tools.
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string run = line.Require("model", "the run folder (or checkpoint folder) to export");
        string format = line.Require("format", "pytorch or safetensors");
        string outDir = line.Require("out", "the folder to write the files into");
        if (format is not ("pytorch" or "safetensors"))
            throw new UsageException($"--format takes pytorch or safetensors, not '{format}'.");
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan export --help'.");
        TorchRuntime.Initialize();
        using var model = TrainingCheckpoint.LoadForInference(run, discriminators: true);
        foreach (var file in PyTorchInterop.Export(model, outDir, format == "pytorch"))
            Console.WriteLine($"Wrote {file}");
        return 0;
    }
}
