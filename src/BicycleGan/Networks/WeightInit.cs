using BicycleGan.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The reference's init_weights: every Conv, ConvTranspose and Linear weight by the chosen scheme,
/// their biases zero; BatchNorm weights N(1, gain) and biases zero. Draws from torch's global
/// generator, so the run's seed fixes it.
/// </summary>
public static class WeightInit
{
    public static void Apply(nn.Module network, InitKind kind, double gain)
    {
        using var _ = no_grad();
        // modules() lists descendants only; a bare layer must be initialised too.
        foreach (var module in network.modules().Prepend(network))
        {
            switch (module)
            {
                case Conv2d or ConvTranspose2d or Linear or Conv4 or ConvTranspose4:
                    var weight = module.get_parameter("weight")!;
                    Initialize(weight, kind, gain);
                    module.get_parameter("bias")?.zero_();
                    break;
                case BatchNorm batchNorm:
                    nn.init.normal_(batchNorm.Weight, 1.0, gain);
                    nn.init.zeros_(batchNorm.Bias);
                    break;
            }
        }
    }

    /// <summary>
    /// What libtorch's convolution modules do on construction: weight Kaiming-uniform with
    /// a = √5, bias uniform in ±1/√fan_in, fan_in read from the weight's shape as PyTorch does
    /// (dimension 1 × kernel area, also for a transposed convolution).
    /// </summary>
    internal static void ResetLikeLibtorch(Tensor weight, Tensor bias)
    {
        using var _ = no_grad();
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        double fanIn = weight.shape[1] * weight.shape[2] * weight.shape[3];
        double bound = 1 / Math.Sqrt(fanIn);
        nn.init.uniform_(bias, -bound, bound);
    }

    private static void Initialize(Tensor weight, InitKind kind, double gain)
    {
        switch (kind)
        {
            case InitKind.Xavier: nn.init.xavier_normal_(weight, gain); break;
            case InitKind.Normal: nn.init.normal_(weight, 0.0, gain); break;
            case InitKind.Kaiming: nn.init.kaiming_normal_(weight, 0, nn.init.FanInOut.FanIn); break;
            case InitKind.Orthogonal: nn.init.orthogonal_(weight, gain); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown init.");
        }
    }
}
