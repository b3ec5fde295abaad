using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Sampling;
using BicycleGan.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Reports;

/// <summary>
/// What a run folder shows while training: TensorBoard event files (every loss and the learning
/// rate at the log cadence, and a sample grid at the display cadence), <c>losses.png</c>, and
/// <c>samples/index.html</c> with inputs, ground truth, encoded and random samples side by side.
/// The same few held-out inputs and the same codes are used each time, so pages compare over time.
/// </summary>
public sealed class TrainingReport : ITrainingObserver
{
    private readonly RunFolder _folder;
    private readonly TrainOptions _train;
    private readonly IPairedDataset _display;
    private readonly SummaryWriter _events;
    private readonly List<long> _steps = [];
    private readonly Dictionary<string, List<double>> _series =
        StepLosses.Names.ToDictionary(n => n, _ => new List<double>());

    /// <param name="display">The inputs shown on the sample page (a few are taken from its start).</param>
    public TrainingReport(RunFolder folder, TrainOptions train, IPairedDataset display)
    {
        _folder = folder;
        _train = train;
        _display = display;
        _events = utils.tensorboard.SummaryWriter(folder.Root, createRunName: false);
    }

    /// <summary>Inputs and random samples per input on the training sample page.</summary>
    public SamplingOptions Sampling { get; init; } = new() { Inputs = 4, Samples = 4, Sync = true, Seed = 1 };

    public void OnStep(TrainingProgress p)
    {
        if (p.Step % _train.PrintFreq != 0) return;
        _steps.Add(p.Step);
        for (int i = 0; i < StepLosses.Names.Count; i++)
        {
            string name = StepLosses.Names[i];
            double value = p.Losses.Values[i];
            _series[name].Add(value);
            _events.add_scalar($"loss/{name}", (float)value, (int)p.Step);
        }
        _events.add_scalar("lr", (float)p.LearningRate, (int)p.Step);
    }

    public void OnDisplay(long step, BicycleGanModel model)
    {
        var sets = new Sampler(model, Sampling).SampleDataset(new SubsetDataset(_display,
            Enumerable.Range(0, Math.Min(Sampling.Inputs, _display.Count)).ToList())).ToList();
        SamplePage.Write(sets, _folder.SamplesFolder, $"Samples at step {step}",
            "Rows: held-out inputs; columns: input, ground truth, encoded, then one shared random z each.");
        var rows = sets.Select(s => Strip.Compose(Row(s), gap: 2)).ToList();
        if (rows.Count > 0) AddImage("samples", Stack(rows), step);
        WritePlot();
    }

    public void OnCheckpoint(string folder, long step) => WritePlot();

    private void WritePlot()
    {
        if (_steps.Count > 0)
            LossPlot.Save(Path.Combine(_folder.Root, "losses.png"), _steps,
                _series.Where(s => s.Value.Any(v => v != 0)).ToDictionary(s => s.Key, s => s.Value));
    }

    private void AddImage(string tag, HostImage image, long step)
    {
        using var scope = NewDisposeScope();
        // TensorBoard wants [0, 1].
        var pixels = tensor(image.Data, [image.Channels, image.Height, image.Width])
            .add(Scalars.Of(1), Scalars.Of(1)).div(Scalars.Of(2));
        _events.add_img(tag, pixels, (int)step, dataformats: "CHW");
    }

    private static List<HostImage> Row(SampleSet s)
    {
        var row = new List<HostImage> { s.Input };
        if (s.GroundTruth is not null) row.Add(s.GroundTruth);
        if (s.Encoded is not null) row.Add(s.Encoded);
        row.AddRange(s.Samples);
        return row;
    }

    /// <summary>Rows of equal width stacked top to bottom.</summary>
    private static HostImage Stack(IReadOnlyList<HostImage> rows)
    {
        int channels = rows.Max(r => r.Channels), width = rows.Max(r => r.Width), height = rows.Sum(r => r.Height);
        var data = new float[channels * height * width];
        Array.Fill(data, 1f);
        int top = 0;
        foreach (var row in rows)
        {
            for (int c = 0; c < channels; c++)
            for (int y = 0; y < row.Height; y++)
            for (int x = 0; x < row.Width; x++)
                data[(c * height + top + y) * width + x] = row[Math.Min(c, row.Channels - 1), y, x];
            top += row.Height;
        }
        return new HostImage(data, channels, height, width);
    }
}
