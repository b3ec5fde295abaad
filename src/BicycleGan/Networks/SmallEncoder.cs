using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The seed article's encoder for 64×64 images: four strided 4×4 convolutions (nef, 2, 4, 8 nef)
/// to a 4×4 map, flattened into the linear heads.
/// </summary>
public sealed class SmallEncoder : Encoder
{
    /// <summary>Side of the map the heads read: 64 px halved four times.</summary>
    private const int MapSide = 4;

    public SmallEncoder(ModelOptions o)
        : base(nameof(SmallEncoder), o, Trunk(o), 8L * o.Nef * MapSide * MapSide, true)
    {
    }

    private static List<nn.Module<Tensor, Tensor>> Trunk(ModelOptions o)
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { Layers.Conv4(o.OutputChannels, o.Nef), Layers.Leaky() };
        for (long width = o.Nef; width < 8 * o.Nef; width *= 2)
        {
            layers.Add(Layers.Conv4(width, 2 * width));
            layers.AddRange(Layers.Norm(o.Norm, 2 * width));
            layers.Add(Layers.Leaky());
        }
        return layers;
    }
}
