using BicycleGan.Data;

namespace BicycleGan.Tests.Sampling;

/// <summary>
/// In-memory pairs for sampling tests: A has 1 channel and B 3, as <see cref="TestNets.Tiny"/>
/// expects; <paramref name="withTargets"/> false makes a dataset without ground truth.
/// </summary>
internal sealed class MemoryDataset(int count, bool withTargets = true) : IPairedDataset
{
    public int Count => count;

    public string Describe(int index) => $"memory/{index:D3}.png";

    public PairedImage Load(int index, AugmentParams aug)
    {
        var a = SamplingFixtures.Image(index, 1);
        var b = withTargets ? SamplingFixtures.Image(index + 100, 3) : null;
        return new PairedImage(a, b, Describe(index));
    }
}
