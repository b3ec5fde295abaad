using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

/// <summary>What sample and interpolate share: the trained model and the images it is given.</summary>
internal static class ModelInputs
{
    /// <summary>
    /// Data options for inference with a trained model: the run's own (when its options.json is
    /// there), seen whole (resized to the crop size, no random crop, no flip), in the model's channels.
    /// </summary>
    public static DataOptions For(string run, BicycleGanModel model, CommandLine line)
    {
        var folder = new RunFolder(run);
        var data = folder.HoldsRun
            ? folder.ReadOptions().Validate().Data
            : new DataOptions { CropSize = Math.Max(64, model.Options.SizeMultiple) };
        if (data.Preprocess == PreprocessMode.ResizeAndCrop) data = data with { LoadSize = data.CropSize };
        data = data with
        {
            InputChannels = model.Options.InputChannels,
            OutputChannels = model.Options.OutputChannels,
            SizeMultiple = model.Options.SizeMultiple,
            NoFlip = true,
            Phase = line.Get("phase") ?? "val",
            Workers = 0,
        };
        var flags = line.Unread().Where(kv => OptionsJson.Find(kv.Key)?.Section == "data").ToList();
        line.MarkRead(flags.Select(kv => kv.Key));
        return OptionsJson.ApplyFlags(new RunOptions { Data = data }, flags).Data.Validate();
    }

    public static IPairedDataset Open(string input, DataOptions data, CommandLine line)
    {
        DatasetLayout? layout = line.Get("dataset-mode") is { } mode
            ? OptionsJson.ApplyFlags(new RunOptions(), [new("dataset-mode", mode)]).Data.Layout
            : null;
        return InferenceInput.Open(input, data, layout);
    }

    public static void RejectUnread(CommandLine line)
    {
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan {line.Verb} --help'.");
    }

    public static BicycleGanModel Load(string run)
    {
        TorchRuntime.Initialize();
        return TrainingCheckpoint.LoadForInference(run);
    }
}
