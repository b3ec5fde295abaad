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
                case Conv2d or ConvTranspose2d or Linear:
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
