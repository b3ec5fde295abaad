using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Losses;

/// <summary>
/// The adversarial loss of a (multi-scale) discriminator's verdict: for each scale the MEAN over
/// its patch map, SUMMED over scales. lsgan: (D(x) − t)²; vanilla: BCE with logits; t = 1 for
/// "real", 0 for "fake".
/// </summary>
public sealed class GanLoss(GanMode mode)
{
    public GanMode Mode { get; } = mode;

    /// <param name="patchMaps">One (N, 1, h, w) map per scale.</param>
    /// <param name="targetIsReal">Whether the verdict should say "real".</param>
    /// <returns>A scalar tensor.</returns>
    public Tensor Compute(IReadOnlyList<Tensor> patchMaps, bool targetIsReal)
    {
        Tensor? total = null;
        foreach (var map in patchMaps)
        {
            using var target = targetIsReal ? ones_like(map) : zeros_like(map);
            var loss = Mode switch
            {
                GanMode.LsGan => nn.functional.mse_loss(map, target),
                GanMode.Vanilla => nn.functional.binary_cross_entropy_with_logits(map, target),
                _ => throw new InvalidOperationException($"Unknown GAN mode {Mode}."),
            };
            if (total is null) total = loss;
            else
            {
                var sum = Scalars.Add(total, loss);
                total.Dispose();
                loss.Dispose();
                total = sum;
            }
        }
        return total ?? throw new ArgumentException("A discriminator verdict needs at least one patch map.");
    }
}
