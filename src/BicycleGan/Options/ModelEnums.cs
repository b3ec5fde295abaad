using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>Where the latent code z enters the U-Net generator (the reference's `where_add`).</summary>
public enum WhereAddZ
{
    /// <summary>z is tiled and concatenated to the input of every encoder block (the default).</summary>
    All,

    /// <summary>z is tiled and concatenated once, to the input image.</summary>
    Input,
}

/// <summary>How the decoder doubles the resolution.</summary>
public enum Upsampling
{
    /// <summary>A 4×4 transposed convolution with stride 2.</summary>
    Basic,

    /// <summary>Bilinear upsampling, reflection padding and a 3×3 convolution.</summary>
    Bilinear,
}

/// <summary>Normalisation layer of every network.</summary>
public enum NormKind
{
    /// <summary>InstanceNorm2d without affine parameters or running statistics (the default).</summary>
    Instance,

    /// <summary>BatchNorm2d with affine parameters and running statistics.</summary>
    Batch,

    /// <summary>No normalisation layer.</summary>
    None,
}

/// <summary>Non-linearity of the generator's decoder (the reference's `nl`).</summary>
public enum Activation
{
    Relu,
    [JsonStringEnumMemberName("lrelu")]
    LeakyRelu,
    Elu,
}

/// <summary>Generator architecture.</summary>
public enum GeneratorKind
{
    /// <summary>The reference U-Net (unet_128, unet_256, any depth by <c>NumDowns</c>).</summary>
    Unet,

    /// <summary>The seed article's small conv/deconv generator for 64×64 images.</summary>
    Small,
}

/// <summary>Encoder architecture.</summary>
public enum EncoderKind
{
    /// <summary>The reference residual encoder (resnet_128, resnet_256).</summary>
    [JsonStringEnumMemberName("resnet")]
    ResNet,

    /// <summary>The reference plain strided-convolution encoder (conv_128, conv_256).</summary>
    Conv,

    /// <summary>The seed article's small conv encoder with a linear head, for 64×64 images.</summary>
    Small,
}

/// <summary>Weight initialisation of convolution and linear layers.</summary>
public enum InitKind
{
    /// <summary>Xavier-normal with the configured gain (reference default, gain 0.02).</summary>
    Xavier,

    /// <summary>N(0, gain).</summary>
    Normal,

    /// <summary>Kaiming-normal (fan in, a = 0).</summary>
    Kaiming,

    /// <summary>Orthogonal with the configured gain.</summary>
    Orthogonal,
}
