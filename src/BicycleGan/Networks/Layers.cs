using BicycleGan.Options;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BicycleGan.Networks;

/// <summary>
/// The small layer factories every network shares: normalisation, activations, up-convolutions.
/// Parameter-free layers are real entries too, so Sequential indices (and with them the
/// checkpoint keys) come out as in the reference.
/// </summary>
internal static class Layers
{
    /// <summary>Slope of every LeakyReLU in the reference.</summary>
    public const double LeakySlope = 0.2;

    /// <summary>The norm layer for <paramref name="channels"/>, or nothing for <see cref="NormKind.None"/>.</summary>
    public static IEnumerable<Module<Tensor, Tensor>> Norm(NormKind kind, long channels)
    {
        switch (kind)
        {
            case NormKind.Instance:
                yield return InstanceNorm2d(channels, affine: false, track_running_stats: false);
                break;
            case NormKind.Batch:
                yield return new BatchNorm(channels);
                break;
            case NormKind.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown norm.");
        }
    }

    public static Module<Tensor, Tensor> Leaky() => new LeakyRelu(LeakySlope);

    public static Module<Tensor, Tensor> Nonlinearity(Activation kind) => kind switch
    {
        Activation.Relu => ReLU(),
        Activation.LeakyRelu => new LeakyRelu(LeakySlope),
        Activation.Elu => new Elu(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>4×4 convolution; stride 2 halves the size, stride 1 takes one pixel off each side.</summary>
    public static Module<Tensor, Tensor> Conv4(long inChannels, long outChannels, long stride = 2) =>
        new Conv4(inChannels, outChannels, stride);

    /// <summary>A resolution doubling: transposed conv (basic), or upsample + reflection pad + 3×3 conv.</summary>
    public static IEnumerable<Module<Tensor, Tensor>> UpConv(Upsampling kind, long inChannels, long outChannels)
    {
        switch (kind)
        {
            case Upsampling.Basic:
                yield return new ConvTranspose4(inChannels, outChannels);
                break;
            case Upsampling.Bilinear:
                yield return Upsample(scale_factor: [2.0, 2.0], mode: UpsampleMode.Bilinear, align_corners: false);
                yield return ReflectionPad2d(1);
                yield return Conv2d(inChannels, outChannels, kernel_size: 3, stride: 1, padding: 0L);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown upsampling.");
        }
    }

    public static TorchSharp.Modules.Sequential Sequence(IEnumerable<Module<Tensor, Tensor>> layers) =>
        Sequential(layers.ToArray());

    /// <summary>z (N, nz) tiled to (N, nz, H, W) without copying, for concatenation with an image.</summary>
    public static Tensor Tile(Tensor z, Tensor like) =>
        z.view(z.shape[0], z.shape[1], 1, 1).expand(z.shape[0], z.shape[1], like.shape[2], like.shape[3]);

    /// <summary>The image with the tiled code appended on the channel axis.</summary>
    public static Tensor WithZ(Tensor x, Tensor z) => cat([x, Tile(z, x)], 1);
}
