namespace BicycleGan.Cli.Bench;

/// <summary>What one <c>bicyclegan bench</c> run measures, and how long each number takes.</summary>
/// <param name="Presets">Presets to measure, in order.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="LongSteps">Steps of small-64's memory run; larger presets run a tenth (≥ 20).</param>
/// <param name="Repeats">Timing samples per number; medians and spreads are over these.</param>
/// <param name="SampleSeconds">Each sample repeats its work until this much time has passed.</param>
internal sealed record BenchSettings(IReadOnlyList<string> Presets, int Threads, int LongSteps,
    int Repeats, double SampleSeconds)
{
    /// <summary>The reference's default training batch; the half-split needs it even.</summary>
    public const int TrainBatch = 2;

    /// <summary>Batch sizes of the inference numbers (G at both, E at the larger).</summary>
    public const int SmallBatch = 1, LargeBatch = 8;

    /// <summary>Loader threads, as a training run uses by default.</summary>
    public const int LoaderWorkers = 2;

    /// <summary>Steps of the memory run for <paramref name="preset"/>.</summary>
    public int LongStepsFor(string preset) =>
        preset == Options.Presets.Small64 ? LongSteps : Math.Max(20, LongSteps / 10);
}
