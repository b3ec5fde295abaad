namespace BicycleGan.Data;

/// <summary>Some examples of another dataset, in the order given.</summary>
public sealed class SubsetDataset(IPairedDataset inner, IReadOnlyList<int> indices) : IPairedDataset
{
    /// <inheritdoc/>
    public int Count => indices.Count;

    /// <inheritdoc/>
    public string Describe(int index) => inner.Describe(indices[index]);

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug) => inner.Load(indices[index], aug);
}
