namespace BicycleGan.Sampling;

/// <summary>
/// Spherical linear interpolation between latent codes. Under the N(0, I) prior almost all mass
/// lies near the sphere of radius √nz; a straight line between two codes cuts through the
/// low-norm interior (at t = ½ between orthogonal codes of equal norm it is only 1/√2 as long),
/// where G has seen few codes. Slerp follows the great circle instead, so between codes of equal
/// norm every intermediate code keeps that norm.
/// </summary>
public static class Slerp
{
    // Below this sin θ the weights sin((1 − t)θ)/sin θ lose their precision; the codes are then
    // (anti)parallel or zero, and a straight line is as good a path as any.
    private const double ParallelSine = 1e-6;

    /// <summary>
    /// The code a fraction <paramref name="t"/> of the way from <paramref name="from"/> to
    /// <paramref name="to"/>: exactly <paramref name="from"/> at t = 0 and <paramref name="to"/>
    /// at t = 1. Falls back to linear interpolation when the angle between them is about 0 or π,
    /// or either is zero.
    /// </summary>
    /// <param name="from">A code of length nz.</param>
    /// <param name="to">A code of the same length.</param>
    /// <param name="t">In [0, 1].</param>
    public static float[] Between(float[] from, float[] to, double t)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Length != to.Length)
        {
            throw new ArgumentException(
                $"Codes of lengths {from.Length} and {to.Length} cannot be interpolated.");
        }
        if (!(t >= 0 && t <= 1))
            throw new ArgumentOutOfRangeException(nameof(t), t, "t must be in [0, 1].");
        if (t == 0) return (float[])from.Clone();
        if (t == 1) return (float[])to.Clone();

        double dot = 0, fromNorm = 0, toNorm = 0;
        for (int i = 0; i < from.Length; i++)
        {
            dot += (double)from[i] * to[i];
            fromNorm += (double)from[i] * from[i];
            toNorm += (double)to[i] * to[i];
        }
        double cosine = Math.Clamp(dot / Math.Sqrt(fromNorm * toNorm), -1, 1);
        double theta = Math.Acos(cosine);
        double sine = Math.Sin(theta);
        bool straight = fromNorm == 0 || toNorm == 0 || double.IsNaN(cosine) || sine < ParallelSine;
        double wFrom = straight ? 1 - t : Math.Sin((1 - t) * theta) / sine;
        double wTo = straight ? t : Math.Sin(t * theta) / sine;

        float[] code = new float[from.Length];
        for (int i = 0; i < code.Length; i++) code[i] = (float)(wFrom * from[i] + wTo * to[i]);
        return code;
    }
}
