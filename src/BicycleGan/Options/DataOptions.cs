using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>
/// Everything that decides which images are read and how they are shaped. Immutable; call
/// <see cref="Validate"/> once after the record is assembled (preset, config file, flags).
/// </summary>
public sealed record DataOptions
{
    /// <summary>Default decoded-image limit: 64 megapixels, about 256 MB as RGBA.</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>How the dataset folder stores pairs. Default Aligned.</summary>
    [Flag("dataset-mode", "aligned (A|B files), paired (A/ and B/ folders) or single")]
    public DatasetLayout Layout { get; init; } = DatasetLayout.Aligned;

    /// <summary>Which side is the input. Default <see cref="TranslationDirection.AtoB"/>.</summary>
    [Flag("direction", "AtoB or BtoA")]
    public TranslationDirection Direction { get; init; } = TranslationDirection.AtoB;

    /// <summary>Channels of the input image: 1 (grayscale) or 3 (RGB). Default 3.</summary>
    [JsonIgnore] // follows ModelOptions when run options are validated
    public int InputChannels { get; init; } = 3;

    /// <summary>Channels of the target image: 1 (grayscale) or 3 (RGB). Default 3.</summary>
    [JsonIgnore] // follows ModelOptions when run options are validated
    public int OutputChannels { get; init; } = 3;

    /// <summary>How images are resized and cropped. Default
    /// <see cref="PreprocessMode.ResizeAndCrop"/>.</summary>
    [Flag("preprocess", "resize_and_crop, crop, scale_width, scale_width_and_crop or none")]
    public PreprocessMode Preprocess { get; init; } = PreprocessMode.ResizeAndCrop;

    /// <summary>Side (width, for the scale-width modes) images are resized to. Default 286.</summary>
    [Flag("load-size", "side images are resized to before cropping")]
    public int LoadSize { get; init; } = 286;

    /// <summary>Side of the square crop fed to the networks. Default 256.</summary>
    [Flag("crop-size", "side of the square crop the networks see")]
    public int CropSize { get; init; } = 256;

    /// <summary>
    /// Sides of uncropped images (<see cref="PreprocessMode.None"/>,
    /// <see cref="PreprocessMode.ScaleWidth"/>) are rounded down to a multiple of this; set it to
    /// what the generator accepts, 2^num_downs for a U-Net. Default 4, as pix2pix.
    /// </summary>
    [JsonIgnore] // follows ModelOptions when run options are validated
    public int SizeMultiple { get; init; } = 4;

    /// <summary>When true, training never flips images horizontally. Default false.</summary>
    [Flag("no-flip", "never flip training images")]
    public bool NoFlip { get; init; }

    /// <summary>Split folder to read: train, val or test. Default "train".</summary>
    [Flag("phase", "split folder to read: train, val or test")]
    public string Phase { get; init; } = "train";

    /// <summary>
    /// When true, undecodable files are skipped and listed instead of stopping the epoch.
    /// Default false: the first bad file stops with an error naming it.
    /// </summary>
    [Flag("skip-bad", "skip unreadable images and list them, instead of stopping")]
    public bool SkipBad { get; init; }

    /// <summary>Threads that decode and augment; 0 decodes on the caller. Default 2.</summary>
    [Flag("workers", "background threads that decode and augment")]
    public int Workers { get; init; } = 2;

    /// <summary>
    /// Largest width × height accepted; files whose header declares more are refused before any
    /// pixel is decoded. Default <see cref="DefaultMaxPixels"/> (64 megapixels).
    /// </summary>
    [Flag("max-pixels", "largest width x height accepted, checked before decoding")]
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>True when the preprocess mode ends with a CropSize × CropSize crop.</summary>
    [JsonIgnore]
    public bool Crops => Preprocess is PreprocessMode.ResizeAndCrop or PreprocessMode.Crop
        or PreprocessMode.ScaleWidthAndCrop;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public DataOptions Validate()
    {
        CheckChannels(InputChannels, nameof(InputChannels));
        CheckChannels(OutputChannels, nameof(OutputChannels));
        CheckDefined(Layout, nameof(Layout));
        CheckDefined(Direction, nameof(Direction));
        CheckDefined(Preprocess, nameof(Preprocess));
        if (LoadSize < 1)
            throw Invalid(nameof(LoadSize), $"LoadSize must be at least 1, not {LoadSize}.");
        if (CropSize < 1)
            throw Invalid(nameof(CropSize), $"CropSize must be at least 1, not {CropSize}.");
        if (SizeMultiple < 1)
        {
            throw Invalid(nameof(SizeMultiple),
                $"SizeMultiple must be at least 1, not {SizeMultiple}.");
        }
        bool resizesToLoad = Preprocess is PreprocessMode.ResizeAndCrop
            or PreprocessMode.ScaleWidthAndCrop;
        if (resizesToLoad && CropSize > LoadSize)
        {
            throw Invalid(nameof(CropSize), $"CropSize {CropSize} is larger than LoadSize {LoadSize}; "
                + $"{Preprocess} cannot crop more than it loaded.");
        }
        if (Crops && CropSize % SizeMultiple != 0)
        {
            throw Invalid(nameof(CropSize), $"CropSize {CropSize} is not a multiple of SizeMultiple "
                + $"{SizeMultiple}, so the generator could not take the crops.");
        }
        CheckPhase();
        if (Workers < 0)
            throw Invalid(nameof(Workers), $"Workers must be 0 or more, not {Workers}.");
        if (MaxPixels < 1)
            throw Invalid(nameof(MaxPixels), $"MaxPixels must be at least 1, not {MaxPixels}.");
        return this;
    }

    private void CheckPhase()
    {
        bool bad = string.IsNullOrWhiteSpace(Phase) || Phase is "." or ".."
            || Phase.IndexOfAny(['/', '\\']) >= 0
            || Phase.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0;
        if (bad)
        {
            throw Invalid(nameof(Phase), $"Phase '{Phase}' is not a folder name; "
                + "use the name of the split folder such as train, val or test.");
        }
    }

    private static void CheckChannels(int channels, string name)
    {
        if (channels is not (1 or 3))
            throw Invalid(name, $"{name} must be 1 (grayscale) or 3 (RGB), not {channels}.");
    }

    private static void CheckDefined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            string names = string.Join(", ", Enum.GetNames<T>());
            throw Invalid(name, $"{name} {value} is not one of {names}.");
        }
    }

    private static ArgumentException Invalid(string name, string message) => new(message, name);
}
