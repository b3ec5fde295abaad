using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>Shape checks at network entry, so a wrong input fails with a sentence, not a native error.</summary>
internal static class NetworkChecks
{
    public static void Image(Tensor x, long channels, int sizeMultiple, string network)
    {
        if (x.dim() != 4 || x.shape[1] != channels)
            throw new ArgumentException(
                $"{network} takes images shaped (N, {channels}, H, W), but got ({string.Join(", ", x.shape)}).");
        if (x.shape[2] % sizeMultiple != 0 || x.shape[3] % sizeMultiple != 0)
            throw new ArgumentException(
                $"{network} takes image sides that are multiples of {sizeMultiple}, " +
                $"but got {x.shape[2]}×{x.shape[3]}.");
    }

    public static void Code(Tensor z, Tensor x, long nz, string network)
    {
        if (z.dim() != 2 || z.shape[1] != nz || z.shape[0] != x.shape[0])
            throw new ArgumentException(
                $"{network} takes latent codes shaped ({x.shape[0]}, {nz}), but got ({string.Join(", ", z.shape)}).");
    }
}
