using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Sampling;

namespace BicycleGan.Cli.Commands;

internal sealed class InterpolateCommand : ICommand
{
    public string Name => "interpolate";

    public string Summary => "walk the latent space for one input: an animated GIF and a PNG strip";

    public void WriteHelp(TextWriter output) => output.WriteLine("""
        Usage: bicyclegan interpolate --model RUN --input IMAGE --out FILE [--steps 8] [--samples 4] [--seed 0]

        Draws --samples random codes and slerps between consecutive ones in --steps frames each, then
        writes FILE.gif (looping animation) and FILE.png (the frames side by side). No ffmpeg needed.
        """);

    public int Run(CommandLine line, CancellationToken cancel)
    {
        string run = line.Require("model", "the run folder of a trained or imported model");
        string input = line.Require("input", "the input image");
        string outFile = line.Require("out", "the output file (FILE.gif and FILE.png are written)");
        int steps = line.Int("steps", 8);
        int keys = line.Int("samples", 4);
        var sampling = new SamplingOptions
        {
            Seed = line.Int("seed", 0), InterpolationKeys = keys, InterpolationSteps = steps,
        }.Validate();
        if (keys < 2)
            throw new UsageException("--samples must be at least 2: the walk goes from one code to the next.");
        using var model = ModelInputs.Load(run);
        var data = ModelInputs.For(run, model, line);
        var dataset = ModelInputs.Open(input, data, line);
        ModelInputs.RejectUnread(line);

        var sampler = new Sampler(model, sampling);
        var example = dataset.Load(0, AugmentParams.Evaluation);
        var a = new HostImage(example.A, example.ChannelsA, example.Height, example.Width);
        var frames = Interpolation.Frames(sampler, 0, a, keys, steps);
        string stem = Path.ChangeExtension(outFile, null);
        GifWriter.Save(frames, stem + ".gif", sampling.FrameDelay);
        Strip.Save(frames, stem + ".png");
        Console.WriteLine($"Wrote {frames.Count} frames to {stem}.gif and {stem}.png");
        return 0;
    }
}
