namespace BicycleGan.Data;

/// <summary>One shape of a <c>shapes</c> scene, in pixel coordinates (pixel centres at +0.5).</summary>
/// <param name="Kind">Circle, square or triangle.</param>
/// <param name="CenterX">Centre column.</param>
/// <param name="CenterY">Centre row.</param>
/// <param name="Radius">Circle radius, half the square's side, or the triangle's circumradius.</param>
public sealed record Shape(ShapeKind Kind, double CenterX, double CenterY, double Radius)
{
    private static readonly double Sqrt3 = Math.Sqrt(3);

    /// <summary>Radius of the smallest circle around the shape, for overlap tests.</summary>
    public double BoundingRadius => Kind == ShapeKind.Square ? Radius * Math.Sqrt(2) : Radius;

    /// <summary>
    /// Distance from (x, y) to the outline: negative inside, positive outside. Exact inside (and
    /// everywhere for circles); outside polygon corners it is the largest edge distance, which
    /// gives mitred corners to the drawn outline.
    /// </summary>
    public double SignedDistance(double x, double y)
    {
        double dx = x - CenterX;
        double dy = y - CenterY;
        return Kind switch
        {
            ShapeKind.Circle => Math.Sqrt(dx * dx + dy * dy) - Radius,
            ShapeKind.Square => Math.Max(Math.Abs(dx), Math.Abs(dy)) - Radius,
            ShapeKind.Triangle => TriangleDistance(dx, dy),
            _ => throw new InvalidOperationException($"Shape kind {Kind} has no distance function."),
        };
    }

    private double TriangleDistance(double dx, double dy)
    {
        // Apex up (rows grow downwards); each edge lies Radius / 2 from the centre, with outward
        // normals (0, 1) for the base and (±√3/2, −1/2) for the sides.
        double inradius = Radius / 2;
        double bottom = dy - inradius;
        double right = (Sqrt3 / 2 * dx) - (dy / 2) - inradius;
        double left = (-Sqrt3 / 2 * dx) - (dy / 2) - inradius;
        return Math.Max(bottom, Math.Max(left, right));
    }
}
