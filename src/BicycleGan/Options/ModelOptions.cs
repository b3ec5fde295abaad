using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>
/// Architecture of the four networks. Defaults are the reference's (unet_256 with z added at all
/// blocks, resnet_256 encoder, basic_256_multi discriminators, nz = 8, 64 filters, instance norm).
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Channels of the input image A (1 or 3).</summary>
    [Flag("input-nc", "channels of the input image A: 1 or 3")]
    public int InputChannels { get; init; } = 3;

    /// <summary>Channels of the output image B (1 or 3).</summary>
    [Flag("output-nc", "channels of the output image B: 1 or 3")]
    public int OutputChannels { get; init; } = 3;

    /// <summary>Length of the latent code z (the reference's nz).</summary>
    [Flag("nz", "length of the latent code z")]
    public int Nz { get; init; } = 8;

    /// <summary>Filters in G's outermost layer.</summary>
    [Flag("ngf", "filters in G's first layer")]
    public int Ngf { get; init; } = 64;

    /// <summary>Filters in E's first layer.</summary>
    [Flag("nef", "filters in E's first layer")]
    public int Nef { get; init; } = 64;

    /// <summary>Filters in D's first layer (scale 0).</summary>
    [Flag("ndf", "filters in D's first layer")]
    public int Ndf { get; init; } = 64;

    [Flag("netG", "generator: unet (the reference U-Net) or small (the seed article's)")]
    public GeneratorKind Generator { get; init; } = GeneratorKind.Unet;

    /// <summary>U-Net levels: 7 for unet_128, 8 for unet_256. Image sides must be multiples of 2^NumDowns.</summary>
    [Flag("num-downs", "U-Net levels: 7 = unet_128, 8 = unet_256; sides must be multiples of 2^levels")]
    public int NumDowns { get; init; } = 8;

    [Flag("where-add", "where z enters G: all (every encoder level) or input")]
    public WhereAddZ WhereAddZ { get; init; } = WhereAddZ.All;

    [Flag("upsample", "decoder upsampling: basic (transposed conv) or bilinear")]
    public Upsampling Upsample { get; init; } = Upsampling.Basic;

    [Flag("norm", "normalisation: instance, batch or none")]
    public NormKind Norm { get; init; } = NormKind.Instance;

    /// <summary>Non-linearity of G's decoder; encoders and discriminators always use LeakyReLU(0.2).</summary>
    [Flag("nl", "G decoder non-linearity: relu, lrelu or elu")]
    public Activation DecoderActivation { get; init; } = Activation.Relu;

    /// <summary>Dropout 0.5 in G's middle decoder blocks (every official training script turns it on).</summary>
    [Flag("use-dropout", "dropout 0.5 in G's middle decoder blocks (the official scripts turn it on)")]
    public bool UseDropout { get; init; }

    [Flag("netE", "encoder: resnet, conv or small")]
    public EncoderKind Encoder { get; init; } = EncoderKind.ResNet;

    /// <summary>
    /// E's depth: residual blocks + 1 for ResNet (5 = resnet_256), conv layers for Conv (5 = conv_256).
    /// </summary>
    [Flag("encoder-blocks", "E depth: 5 = resnet_256/conv_256, 4 = resnet_128/conv_128")]
    public int EncoderBlocks { get; init; } = 5;

    /// <summary>Strided layers per discriminator scale (3 = basic_256_multi, 2 = basic_128_multi).</summary>
    [Flag("d-layers", "strided layers per D scale: 3 = basic_256_multi, 2 = basic_128_multi")]
    public int DiscriminatorLayers { get; init; } = 3;

    /// <summary>Discriminator scales; each further scale sees a 2× average-pooled image.</summary>
    [Flag("num-Ds", "discriminator scales")]
    public int NumDs { get; init; } = 2;

    /// <summary>D judges (A, B) pairs instead of B alone.</summary>
    [Flag("conditional-D", "D judges (A, B) pairs instead of B alone")]
    public bool ConditionalD { get; init; }

    /// <summary>One discriminator judges both the encoded and the random-z outputs.</summary>
    [Flag("use-same-D", "one D judges both the encoded and the random-z outputs")]
    public bool UseSameD { get; init; }

    [Flag("init-type", "weight init: xavier, normal, kaiming or orthogonal")]
    public InitKind Init { get; init; } = InitKind.Xavier;

    /// <summary>Gain (xavier, orthogonal) or standard deviation (normal) of the initialisation.</summary>
    [Flag("init-gain", "gain (xavier, orthogonal) or std (normal) of the init")]
    public double InitGain { get; init; } = 0.02;

    /// <summary>Channels D sees: B alone, or A and B concatenated when conditional.</summary>
    [JsonIgnore]
    public int DiscriminatorInputChannels => ConditionalD ? InputChannels + OutputChannels : OutputChannels;

    /// <summary>Image sides must be a multiple of this for G (and, for the small nets, equal to 64).</summary>
    [JsonIgnore]
    public int SizeMultiple => Generator == GeneratorKind.Unet ? 1 << NumDowns : 16;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate(int imageSize)
    {
        Require(InputChannels is 1 or 3, "input-nc", $"must be 1 or 3, not {InputChannels}");
        Require(OutputChannels is 1 or 3, "output-nc", $"must be 1 or 3, not {OutputChannels}");
        Require(Nz >= 1, "nz", $"must be at least 1, not {Nz}");
        Require(Ngf >= 1 && Nef >= 1 && Ndf >= 2, "ngf/nef/ndf", "must be positive (ndf at least 2)");
        Require(NumDowns is >= 5 and <= 9, "num-downs", $"must be between 5 (32 px) and 9 (512 px), not {NumDowns}");
        Require(EncoderBlocks is >= 2 and <= 8, "encoder-blocks", $"must be between 2 and 8, not {EncoderBlocks}");
        Require(DiscriminatorLayers is >= 1 and <= 6, "d-layers",
            $"must be between 1 and 6, not {DiscriminatorLayers}");
        Require(NumDs is >= 1 and <= 4, "num-ds", $"must be between 1 and 4, not {NumDs}");
        Require(InitGain > 0, "init-gain", $"must be positive, not {InitGain}");
        if (Generator == GeneratorKind.Unet)
        {
            Require(imageSize % SizeMultiple == 0, "crop-size",
                $"{imageSize} px is not a multiple of {SizeMultiple}, which a U-Net with {NumDowns} levels needs; " +
                $"use a crop size of {Math.Max(SizeMultiple, imageSize / SizeMultiple * SizeMultiple)} or num-downs " +
                $"{Math.Max(5, (int)Math.Log2(imageSize & -imageSize))}");
        }
        else
        {
            Require(imageSize == 64, "crop-size",
                $"the seed article's small generator takes 64 px images, not {imageSize}");
        }
        if (Encoder == EncoderKind.Small)
            Require(imageSize == 64, "crop-size", $"the small encoder takes 64 px images, not {imageSize}");
        else
            Require(imageSize >> EncoderBlocks >= 1, "encoder-blocks",
                $"an encoder that halves the image {EncoderBlocks} times needs at least {1 << EncoderBlocks} px");

        // Each D scale halves DiscriminatorLayers times and its two stride-1 4×4 convs take 2 px.
        int halvings = DiscriminatorLayers + NumDs - 1;
        Require(imageSize >> halvings >= 3, "d-layers/num-ds",
            $"{NumDs} scales of {DiscriminatorLayers} layers need images of at least {3 << halvings} px");
    }

    internal static void Require(bool condition, string option, string problem)
    {
        if (!condition) throw new ArgumentException($"Option --{option} {problem}.");
    }
}
