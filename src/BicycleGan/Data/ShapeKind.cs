namespace BicycleGan.Data;

/// <summary>Outlines the procedural <c>shapes</c> dataset draws.</summary>
public enum ShapeKind
{
    /// <summary>A circle of the given radius.</summary>
    Circle,

    /// <summary>An axis-aligned square whose half side is the radius.</summary>
    Square,

    /// <summary>An equilateral triangle pointing up, with the radius as circumradius.</summary>
    Triangle,
}
