using BicycleGan.Data;
using BicycleGan.Networks;
using BicycleGan.Options;
using BicycleGan.Training;
using static TorchSharp.torch;

namespace BicycleGan.Cli.Bench;

/// <summary>
/// Measures one preset: a training step, G and E inference, the data loader, peak memory and a
/// long run for native-memory growth. Each timing is taken after warm-up calls, which pay for
/// oneDNN's kernel selection and the allocator's first growth, so only steady state is timed.
/// </summary>
internal sealed class PresetBenchmark
{
    private const int WarmupCalls = 2;
    private const int LoaderPairs = 64;
    private readonly string _preset;
    private readonly BenchSettings _settings;
    private readonly Action<string> _progress;

    public PresetBenchmark(string preset, BenchSettings settings, Action<string> progress)
    {
        _preset = preset;
        _settings = settings;
        _progress = line => progress($"{preset}: {line}");
    }

    public PresetResult Run()
    {
        bool peakIsPerPreset = ProcessMemory.TryResetPeak();
        var neighbours = new NeighbourCpu();
        var options = Presets.Get(_preset).Validate();
        var model = options.Model;
        int size = options.Data.CropSize;
        random.manual_seed(0);
        using var networks = BicycleGanModel.Create(model, options.Train.Variant, options.Loss);
        var train = options.Train with { BatchSize = BenchSettings.TrainBatch };
        using var trainer = new Trainer(networks, train, options.Loss);

        var step = TimeTrainingStep(trainer, model, size);
        var gB1 = TimeGenerator(networks, model, size, BenchSettings.SmallBatch);
        var gB8 = TimeGenerator(networks, model, size, BenchSettings.LargeBatch);
        var e = TimeEncoder(networks, model, size);

        string folder = Directory.CreateTempSubdirectory("bicyclegan-bench-").FullName;
        try
        {
            var dataset = WriteShapes(folder, options.Data, size);
            using var loader = new BatchLoader(dataset, BenchSettings.TrainBatch, seed: 0,
                training: true, workers: BenchSettings.LoaderWorkers);
            var loaderImages = TimeLoader(loader);
            var longRun = LongRun.Run(trainer, loader, _settings.LongStepsFor(_preset), _progress);
            var parameters = networks.Networks.ToDictionary(n => n.Name,
                n => n.Network.parameters().Sum(p => p.numel()));
            return new PresetResult(_preset, size, step, gB1, gB8, e, loaderImages,
                FlopCount.Generator(model, size), ProcessMemory.PeakMb(), peakIsPerPreset, longRun,
                parameters, model, neighbours.OtherPct());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Seconds per full step (E, G twice, D and D2, four Adam updates).</summary>
    private Spread TimeTrainingStep(Trainer trainer, ModelOptions o, int size)
    {
        using var scope = NewDisposeScope();
        var realA = rand(BenchSettings.TrainBatch, o.InputChannels, size, size) * 2 - 1;
        var realB = rand(BenchSettings.TrainBatch, o.OutputChannels, size, size) * 2 - 1;
        return Time("training step", () => trainer.Step(realA, realB));
    }

    /// <summary>Images/s through G in eval mode without autograd, one scope per batch.</summary>
    private Spread TimeGenerator(BicycleGanModel networks, ModelOptions o, int size, int batch)
    {
        networks.Train(false);
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var a = rand(batch, o.InputChannels, size, size) * 2 - 1;
        var z = randn(batch, o.Nz);
        var seconds = Time($"G inference, batch {batch}", () =>
        {
            using var perBatch = NewDisposeScope();
            networks.G.call(a, z);
        });
        return PerSecond(seconds, batch);
    }

    private Spread TimeEncoder(BicycleGanModel networks, ModelOptions o, int size)
    {
        var encoder = networks.E ?? throw new InvalidOperationException(
            $"Preset {_preset} trains without an encoder, so E cannot be benchmarked.");
        networks.Train(false);
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var b = rand(BenchSettings.LargeBatch, o.OutputChannels, size, size) * 2 - 1;
        var seconds = Time($"E inference, batch {BenchSettings.LargeBatch}", () =>
        {
            using var perBatch = NewDisposeScope();
            encoder.call(b);
        });
        return PerSecond(seconds, BenchSettings.LargeBatch);
    }

    /// <summary>Pairs/s a training loader delivers: decode, resize, crop, flip on workers.</summary>
    private Spread TimeLoader(BatchLoader loader)
    {
        int epoch = 0;
        var seconds = Time("data loader", () =>
        {
            foreach (var _ in loader.Epoch(epoch++))
            {
            }
        }, warmup: 1);
        return PerSecond(seconds, loader.StepsPerEpoch * BenchSettings.TrainBatch);
    }

    /// <summary>Shapes written as PNG pairs and read back as a folder, so decoding is real.</summary>
    private IPairedDataset WriteShapes(string folder, DataOptions data, int size)
    {
        _progress($"writing {LoaderPairs} shapes pairs of {size} px");
        string spec = $"shapes?size={size}&train={LoaderPairs}&val=1&test=1";
        BuiltinDatasets.Make(spec, folder, seed: 0);
        return DatasetFactory.Open(folder, data with { Phase = "train" });
    }

    private Spread Time(string what, Action unit, int warmup = WarmupCalls)
    {
        _progress($"{what}: warming up");
        for (int i = 0; i < warmup; i++) unit();
        var samples = new List<double>();
        for (int r = 1; r <= _settings.Repeats; r++)
        {
            samples.Add(SampleTimer.SecondsPerCall(unit, _settings.SampleSeconds));
            _progress($"{what}: sample {r}/{_settings.Repeats} {samples[^1] * 1000:F1} ms");
        }
        return Spread.Of(samples);
    }

    private static Spread PerSecond(Spread seconds, int items) => seconds.Map(s => items / s);
}
