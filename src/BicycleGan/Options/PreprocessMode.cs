using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>
/// How images are sized before they reach the networks; the names and behaviour follow pix2pix's
/// <c>--preprocess</c>. Random crops and flips happen only while training; evaluation crops the
/// centre and never flips.
/// </summary>
public enum PreprocessMode
{
    /// <summary>Resize to LoadSize × LoadSize, then crop CropSize × CropSize.</summary>
    [JsonStringEnumMemberName("resize_and_crop")]
    ResizeAndCrop,

    /// <summary>Crop CropSize × CropSize from the image as stored.</summary>
    Crop,

    /// <summary>
    /// Resize so the width is LoadSize, keeping the aspect ratio, with both sides rounded down
    /// to a multiple of SizeMultiple, since nothing is cropped afterwards.
    /// </summary>
    [JsonStringEnumMemberName("scale_width")]
    ScaleWidth,

    /// <summary>Resize so the width is LoadSize (height at least CropSize), then crop.</summary>
    [JsonStringEnumMemberName("scale_width_and_crop")]
    ScaleWidthAndCrop,

    /// <summary>
    /// Keep the stored size, except that sides which are not a multiple of SizeMultiple are
    /// rescaled down to the nearest multiple below (pix2pix rescales too, but rounds to nearest).
    /// </summary>
    None,
}
