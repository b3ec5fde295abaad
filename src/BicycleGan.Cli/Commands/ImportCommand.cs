using BicycleGan.Checkpoints;
using BicycleGan.Options;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

internal sealed class ImportCommand : ICommand
{
    public string Name => "import";

    public string Summary => "turn official PyTorch .pth checkpoints into a run folder";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan import --from pytorch --G latest_net_G.pth --E latest_net_E.pth [--D FILE] [--D2 FILE]
                                 [--preset official-256] [--input-nc 1] [model options…] --out RUN [--overwrite]

        Reads official BicycleGAN state dicts (zip or pre-1.6 format) without running any code from
        them: only tensors and a small allow-list of tensor-rebuilding names are accepted. Keys must
        match the architecture exactly (old InstanceNorm statistics are ignored); mismatches are listed.
        The run folder it writes works with sample and interpolate, and train --resume fine-tunes it.

        The official pretrained models use the official-256 preset; edges2shoes and edges2handbags
        also need --input-nc 1.
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string from = line.Get("from") ?? "pytorch";
        if (from != "pytorch") throw new UsageException($"--from {from} is not supported; use --from pytorch.");
        var files = new Dictionary<string, string>();
        foreach (string net in new[] { "G", "E", "D", "D2" })
            if (line.Get(net) is { } path) files[net] = path;
        var folder = new RunFolder(line.Require("out", "the run folder to write"));
        bool overwrite = line.Switch("overwrite");
        var options = RunOptionsFromCommandLine.Resolve(line, resumeFrom: null);
        if (folder.HoldsRun && !overwrite)
            throw new InvalidOperationException(
                $"Run folder '{folder.Root}' already holds a run; use --overwrite or another --out folder.");

        TorchRuntime.Initialize(options.Train.Threads);
        using var model = PyTorchInterop.Import(options.Model, files);
        options = options with { Model = model.Options };
        Directory.CreateDirectory(folder.Root);
        AtomicFile.WriteAllBytes(folder.OptionsFile,
            System.Text.Encoding.UTF8.GetBytes(OptionsJson.Serialize(options)));
        TrainingCheckpoint.SaveWeights(folder.Latest, model, ModelVariant.Bicycle);
        long parameters = model.Networks.Sum(n => n.Network.parameters().Sum(p => p.numel()));
        Console.WriteLine($"Imported {string.Join(", ", model.Networks.Select(n => n.Name))} " +
                          $"({parameters:N0} parameters) into {folder.Root}");
        return 0;
    }
}
