namespace BicycleGan.Data;

/// <summary>
/// A fixed, ordered collection of examples. Implementations must be safe to <see cref="Load"/>
/// from several threads at once, and index order must be stable (ordinal by path for folders).
/// </summary>
public interface IPairedDataset
{
    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>The file path or built-in name of example <paramref name="index"/>.</summary>
    string Describe(int index);

    /// <summary>
    /// Decodes and preprocesses example <paramref name="index"/> with the given random choices.
    /// </summary>
    /// <exception cref="BadImageException">This example's file cannot be used.</exception>
    PairedImage Load(int index, AugmentParams aug);
}
