using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The reference plain encoder (conv_256: <c>EncoderBlocks</c> = 5; conv_128: 4): strided 4×4
/// convolutions widening nef·min(2^n, 4), then a global average pool.
/// </summary>
public sealed class ConvEncoder : Encoder
{
    public ConvEncoder(ModelOptions o) : base(nameof(ConvEncoder), o, Trunk(o, out long width), width, false)
    {
    }

    private static List<nn.Module<Tensor, Tensor>> Trunk(ModelOptions o, out long width)
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { Layers.Conv4(o.OutputChannels, o.Nef), Layers.Leaky() };
        width = o.Nef;
        for (int n = 1; n < o.EncoderBlocks; n++)
        {
            long input = width;
            width = o.Nef * Math.Min(1 << n, 4);
            layers.Add(Layers.Conv4(input, width));
            layers.AddRange(Layers.Norm(o.Norm, width));
            layers.Add(Layers.Leaky());
        }
        return layers;
    }
}
