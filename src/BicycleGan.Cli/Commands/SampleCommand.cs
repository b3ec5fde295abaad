using BicycleGan.Options;
using BicycleGan.Reports;

namespace BicycleGan.Cli.Commands;

internal sealed class SampleCommand : ICommand
{
    public string Name => "sample";

    public string Summary => "draw several outputs per input with a trained model, as PNGs and a page";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan sample --model RUN --input DIR|IMAGE|builtin:NAME --out DIR [options]

        Per input: the input, the ground truth (when known), the encoded sample (z = μ of E(B)) and N
        random samples, as DIR/images/input_000_input.png, …_ground_truth.png, …_encoded.png,
        …_random_sample01.png … (inputs numbered in sorted order), and DIR/index.html showing them.

          --model RUN          a run folder (its latest checkpoint) or a checkpoint folder
          --input PATH         one image, a folder of images, or a dataset root (then --phase is read)
          --out DIR            where the page and images go
          --samples 5          random samples per input (0 to 99)
          --inputs 50          inputs to sample, from the start in sorted order
          --phase val          the split read from a dataset root
          --seed 0             seed of the random codes (results repeat exactly)
          --sync               the same codes for every input: column k shows one z across rows
          --z-file FILE        explicit codes: JSON [[…nz numbers…], …] or CSV, one row per sample
          --encode true        add the encoded sample when the ground truth is known
          --interp-keys 0      also animate a slerp through this many codes (GIF per input)
          --dataset-mode MODE  aligned or single, instead of guessing from the image shapes
        Inputs are resized to the model's crop size; data options of the run (e.g. --direction) apply.
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string run = line.Require("model", "the run folder of a trained or imported model");
        string input = line.Require("input", "an image, a folder of images or a dataset root");
        string outDir = line.Require("out", "the folder for the images and index.html");
        var sampling = new SamplingOptions
        {
            Samples = line.Int("samples", 5),
            Inputs = line.Int("inputs", 50),
            Seed = line.Int("seed", 0),
            Sync = line.Switch("sync"),
            ZFile = line.Get("z-file"),
            Encode = line.Get("encode") is not "false",
            InterpolationKeys = line.Int("interp-keys", 0),
        }.Validate();
        using var model = ModelInputs.Load(run);
        var data = ModelInputs.For(run, model, line);
        var dataset = ModelInputs.Open(input, data, line);
        ModelInputs.RejectUnread(line);

        string title = $"Samples of {Path.GetFileName(Path.GetFullPath(run))}";
        var summary = SamplePage.Write(model, dataset, sampling, outDir, title, cancellationToken: cancel);
        Console.WriteLine($"Wrote {summary.Images} images for {summary.Inputs} inputs; open {summary.IndexPath}");
        return 0;
    }
}
