using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// The procedural <c>shapes</c> dataset: outlines (A) to filled shapes (B), where the fill is
/// one of <see cref="ShapesModes.All"/> drawn per image, so each input has twelve right answers
/// and only a model that uses its latent code can produce them all. Every example is a pure
/// function of (seed, split, index). Preprocessing follows the options; for evaluation against
/// <see cref="Scene"/> masks use <see cref="PreprocessMode.None"/> (or LoadSize = CropSize =
/// Size) so pixels stay where the scene says they are.
/// </summary>
public sealed class ShapesDataset : IPairedDataset, IRawPairSource
{
    private readonly int _seed;
    private readonly int _split;
    private readonly string _splitName;
    private readonly PairTransform _transform;

    /// <param name="seed">Generates the scenes; the same seed always gives the same dataset.</param>
    /// <param name="split">train, val or test: disjoint streams of scenes.</param>
    /// <param name="count">Examples in the split.</param>
    /// <param name="size">Image side in pixels, at least 16. Default 64.</param>
    /// <param name="options">Preprocessing, direction and channels.</param>
    public ShapesDataset(int seed, string split, int count, int size, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        _split = BuiltinSpec.SplitNumber(split, "shapes");
        _splitName = split;
        _seed = seed;
        _transform = new PairTransform(options);
        Count = count;
        Size = size;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>Side of the generated images in pixels.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public string Describe(int index) => $"builtin:shapes/{_splitName}/{index:D5}";

    /// <summary>Shapes, masks and fill mode of example <paramref name="index"/>.</summary>
    public ShapesScene Scene(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return ShapesScene.Generate(_seed, _split, index, Size);
    }

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug)
    {
        var (a, b) = Raw(index);
        return _transform.Apply(a, b, aug, Describe(index));
    }

    /// <summary>Outlines and filled target of example <paramref name="index"/> as generated.</summary>
    public (HostImage A, HostImage B) Raw(int index)
    {
        var scene = Scene(index);
        return (scene.RenderOutlines(), scene.RenderFilled());
    }
}
