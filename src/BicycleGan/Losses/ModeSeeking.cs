using static TorchSharp.torch;

namespace BicycleGan.Losses;

/// <summary>
/// The mode-seeking term of MSGAN (Mao et al., 2019): two codes z1, z2 for the same input should
/// give outputs as far apart as the codes are. Minimised:
/// 1 / (mean|G(A, z2) − G(A, z1)| / mean|z2 − z1| + 1e-5).
/// </summary>
public static class ModeSeeking
{
    private const double Epsilon = 1e-5;

    public static Tensor Compute(Tensor fake1, Tensor fake2, Tensor z1, Tensor z2)
    {
        using var imageDistance = (fake2 - fake1).abs_().mean();
        using var codeDistance = (z2 - z1).abs_().mean();
        using var ratio = imageDistance / codeDistance;
        using var shifted = Scalars.Add(ratio, Epsilon);
        return shifted.reciprocal();
    }
}
