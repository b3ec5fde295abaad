using BicycleGan.Options;

namespace BicycleGan.Training;

/// <summary>
/// The learning-rate factor for an epoch (counted from 0), applied for the whole epoch. A pure
/// function of the epoch, so a resumed run needs no scheduler state.
/// </summary>
public static class LrSchedule
{
    public static double Factor(TrainOptions o, int epoch) => o.LrPolicy switch
    {
        // Constant for niter epochs, then linearly towards zero over niter_decay (the reference's
        // "linear"; the last epoch still trains at 1/(niter_decay + 1)).
        LrPolicy.Linear => 1.0 - Math.Max(0, epoch + 1 - o.Niter) / (double)(o.NiterDecay + 1),
        LrPolicy.Step => Math.Pow(0.1, epoch / o.LrDecayIters),
        // As PyTorch's CosineAnnealingLR with T_max = niter and eta_min = 0 (the reference's choice).
        LrPolicy.Cosine => 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, o.Niter))),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.LrPolicy, "Unknown learning-rate policy."),
    };
}
