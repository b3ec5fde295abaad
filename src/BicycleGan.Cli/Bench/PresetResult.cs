namespace BicycleGan.Cli.Bench;

/// <summary>Everything measured for one preset. Images per second count images, not batches.</summary>
/// <param name="Size">Crop side the networks were run at.</param>
/// <param name="TrainStepSeconds">One full BicycleGAN step on a synthetic batch.</param>
/// <param name="GImagesB1">G forward, eval mode, batch 1.</param>
/// <param name="GImagesB8">G forward, eval mode, batch 8.</param>
/// <param name="EImages">E forward, eval mode, batch 8.</param>
/// <param name="LoaderImages">Pairs per second from the training loader, decoding PNG files.</param>
/// <param name="GFlopsPerImage">Counted FLOPs of one G forward (see FlopCount).</param>
/// <param name="PeakRssMb">Highest resident set while this preset ran.</param>
/// <param name="PeakRssIsPerPreset">
/// False when the kernel refused to reset the peak, so it covers the whole process so far.
/// </param>
/// <param name="Parameters">Parameters of each network, by name (G, E, D, D2).</param>
/// <param name="OtherCpuPct">CPU share other processes took meanwhile (see NeighbourCpu).</param>
internal sealed record PresetResult(string Preset, int Size, Spread TrainStepSeconds,
    Spread GImagesB1, Spread GImagesB8, Spread EImages, Spread LoaderImages, long GFlopsPerImage,
    double PeakRssMb, bool PeakRssIsPerPreset, LongRunResult LongRun,
    IReadOnlyDictionary<string, long> Parameters, Options.ModelOptions Model, double? OtherCpuPct)
{
    /// <summary>Achieved GFLOP/s of G at batch 8, per timing sample.</summary>
    public Spread GGflops => GImagesB8.Map(images => images * GFlopsPerImage / 1e9);

    /// <summary>Achieved GFLOP/s of G at batch 1, per timing sample.</summary>
    public Spread GGflopsB1 => GImagesB1.Map(images => images * GFlopsPerImage / 1e9);
}
