namespace BicycleGan.Options;

/// <summary>Named starting points for a run; flags and config files change them from there.</summary>
public static class Presets
{
    /// <summary>The reference's defaults exactly: unet_256, resnet_256, basic_256_multi, 286 → 256 crops.</summary>
    public const string Official256 = "official-256";

    /// <summary>The reference's 128 px networks: unet_128, resnet_128, basic_128_multi, 143 → 128 crops.</summary>
    public const string Official128 = "official-128";

    /// <summary>
    /// The seed article's simplified model: its small conv G and E for 64×64 images, λ = 10 on the
    /// latent cycle, λ = 5 on the image cycle, no KL.
    /// </summary>
    public const string Seed64 = "seed-64";

    /// <summary>
    /// CPU-friendly BicycleGAN for 64×64 images (the built-in shapes data): a 6-level U-Net with
    /// 16 filters, a 4-block residual E, two 2-layer D scales, batches of 8, lr 5e-4, short schedule.
    /// </summary>
    public const string Small64 = "small-64";

    public static IReadOnlyList<string> Names { get; } = [Official256, Official128, Seed64, Small64];

    /// <exception cref="ArgumentException">The name is not a preset; the message lists them.</exception>
    public static RunOptions Get(string name) => name switch
    {
        Official256 => new RunOptions { Preset = name },
        Official128 => new RunOptions
        {
            Preset = name,
            Model = new ModelOptions { NumDowns = 7, EncoderBlocks = 4, DiscriminatorLayers = 2 },
            Data = new DataOptions { LoadSize = 143, CropSize = 128 },
        },
        Seed64 => new RunOptions
        {
            Preset = name,
            Model = new ModelOptions
            {
                Generator = GeneratorKind.Small,
                Encoder = EncoderKind.Small,
                DiscriminatorLayers = 2,
            },
            Loss = new LossWeights { Z = 10, L1 = 5, Kl = 0 },
            Data = new DataOptions { LoadSize = 72, CropSize = 64 },
        },
        Small64 => new RunOptions
        {
            Preset = name,
            Model = new ModelOptions
            {
                Ngf = 16,
                Nef = 16,
                Ndf = 16,
                NumDowns = 6,
                EncoderBlocks = 4,
                DiscriminatorLayers = 2,
            },
            // A higher rate than the reference's 2e-4: at this size it learns the fills in about half the
            // steps, which is what a few CPU minutes allow.
            Train = new TrainOptions
            {
                BatchSize = 8, Lr = 5e-4, Niter = 10, NiterDecay = 10, PrintFreq = 25, DisplayFreq = 250,
                SaveLatestFreq = 500,
            },
            Data = new DataOptions { LoadSize = 64, CropSize = 64, Preprocess = PreprocessMode.None },
        },
        _ => throw new ArgumentException(
            $"Unknown preset '{name}'. Choose one of: {string.Join(", ", Names)}."),
    };
}
