namespace BicycleGan.Cli.Bench;

/// <summary>
/// A long training run on real batches from the loader: native memory after warm-up against the
/// end, tensors alive on the training thread, and how much of the time went waiting for data.
/// </summary>
/// <param name="Steps">Steps taken.</param>
/// <param name="WarmupStep">The step whose resident set is the baseline (a tenth of the run).</param>
/// <param name="RssMb">Resident set (MB) by step, sampled every twentieth of the run.</param>
/// <param name="LiveTensorsAtWarmup">Tensors alive on this thread at the warm-up step.</param>
/// <param name="LiveTensorsAtEnd">Tensors alive at the end; equal when nothing leaks.</param>
/// <param name="DataWaitPct">Time blocked on the loader, as a share of the time after warm-up.</param>
/// <param name="FedStepSeconds">Mean wall time per step after warm-up, waiting included.</param>
internal sealed record LongRunResult(int Steps, int WarmupStep,
    IReadOnlyList<(int Step, double Mb)> RssMb, long LiveTensorsAtWarmup, long LiveTensorsAtEnd,
    double DataWaitPct, double FedStepSeconds)
{
    /// <summary>(RSS at the end − RSS at warm-up) / RSS at warm-up, in percent.</summary>
    public double GrowthPct
    {
        get
        {
            double warm = RssMb.First(s => s.Step == WarmupStep).Mb;
            return (RssMb[^1].Mb - warm) / warm * 100;
        }
    }
}
