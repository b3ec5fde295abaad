using BicycleGan.Data;

namespace BicycleGan.Evaluation;

/// <summary>
/// What fill a generated <c>shapes</c> image shows (see <see cref="ModeCoverage.Classify"/>).
/// </summary>
/// <param name="Mode">Index into <see cref="ShapesModes.All"/>; null when the fill is invalid.</param>
/// <param name="Nearest">The nearest mode, valid or not.</param>
/// <param name="Distance">Total-variation distance of the fill to the nearest mode (0 to 1).</param>
/// <param name="Threshold">Largest distance still counted as that mode for this scene.</param>
public sealed record ModeClassification(int? Mode, int Nearest, double Distance, double Threshold)
{
    /// <summary>True when the fill is one of the known modes.</summary>
    public bool IsValid => Mode is not null;
}
