namespace BicycleGan.Evaluation;

/// <summary>The outcome of <see cref="Ndb.Compare"/>.</summary>
/// <param name="Bins">k, the number of k-means bins.</param>
/// <param name="DifferentBins">NDB: bins whose real and generated shares differ
/// significantly.</param>
/// <param name="Jsd">Jensen-Shannon divergence of the bin distributions, in nats (0 to ln 2).</param>
/// <param name="RealShares">Share of the real samples in each bin (sums to 1).</param>
/// <param name="GeneratedShares">Share of the generated samples in each bin (sums to 1).</param>
public sealed record NdbResult(int Bins, int DifferentBins, double Jsd,
    IReadOnlyList<double> RealShares, IReadOnlyList<double> GeneratedShares)
{
    /// <summary>NDB / k: 0 when every bin matches, 1 when none does.</summary>
    public double DifferentShare => (double)DifferentBins / Bins;
}
