using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The reference residual encoder (resnet_256: <c>EncoderBlocks</c> = 5; resnet_128: 4):
/// conv4×4 s2 (in → nef), then residual blocks widening nef·min(4, n) → nef·min(4, n + 1),
/// LeakyReLU and a global average pool.
/// </summary>
public sealed class ResNetEncoder : Encoder
{
    public ResNetEncoder(ModelOptions o) : base(nameof(ResNetEncoder), o, Trunk(o, out long width), width, false)
    {
    }

    private static List<nn.Module<Tensor, Tensor>> Trunk(ModelOptions o, out long width)
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { Layers.Conv4(o.OutputChannels, o.Nef) };
        width = o.Nef;
        for (int n = 1; n < o.EncoderBlocks; n++)
        {
            long input = o.Nef * Math.Min(4, n);
            width = o.Nef * Math.Min(4, n + 1);
            layers.Add(new ResidualBlock(input, width, o.Norm));
        }
        layers.Add(Layers.Leaky());
        return layers;
    }
}
