using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>Builds each network from its options; the only place that maps options to classes.</summary>
public static class NetworkFactory
{
    public static nn.Module<Tensor, Tensor, Tensor> Generator(ModelOptions o) => o.Generator switch
    {
        GeneratorKind.Unet => new UnetGenerator(o),
        GeneratorKind.Small => new SmallGenerator(o),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Generator, "Unknown generator."),
    };

    public static Encoder Encoder(ModelOptions o) => o.Encoder switch
    {
        EncoderKind.ResNet => new ResNetEncoder(o),
        EncoderKind.Conv => new ConvEncoder(o),
        EncoderKind.Small => new SmallEncoder(o),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Encoder, "Unknown encoder."),
    };

    public static MultiScaleDiscriminator Discriminator(ModelOptions o) => new(o);
}
