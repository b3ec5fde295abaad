namespace BicycleGan.Data;

/// <summary>Interpolation used by <see cref="ImageOps.Resize"/>.</summary>
public enum ResampleFilter
{
    /// <summary>Cubic convolution with a = −0.5, PIL's BICUBIC and pix2pix's default.</summary>
    Bicubic,

    /// <summary>Linear interpolation (a triangle filter), PIL's BILINEAR.</summary>
    Bilinear,
}
