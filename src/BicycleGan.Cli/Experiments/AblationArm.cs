using System.Globalization;
using BicycleGan.Options;

namespace BicycleGan.Cli.Experiments;

/// <summary>
/// One arm of the paper's ablation (its section 4 and figure 5): a training variant, with the
/// MSGAN mode-seeking weight for the arm that adds it.
/// </summary>
/// <param name="Name">Folder name and --model value of the arm.</param>
/// <param name="Label">How the paper (or MSGAN) names it.</param>
/// <param name="Variant">The losses trained, as <c>train --model</c>.</param>
/// <param name="LambdaMs">Weight of the mode-seeking term; 0 for off.</param>
internal sealed record AblationArm(string Name, string Label, ModelVariant Variant, double LambdaMs)
{
    /// <summary>Every arm, in the order of the paper's tables, mode seeking last.</summary>
    public static IReadOnlyList<AblationArm> All { get; } =
    [
        new("pix2pix-noise", "pix2pix+noise", ModelVariant.Pix2PixNoise, 0),
        new("cvae-gan", "cVAE-GAN", ModelVariant.CvaeGan, 0),
        new("clr-gan", "cLR-GAN", ModelVariant.ClrGan, 0),
        new("bicycle", "BicycleGAN", ModelVariant.Bicycle, 0),
        new("bicycle-ms", "BicycleGAN + mode seeking", ModelVariant.Bicycle, 1),
    ];

    /// <summary>The arm named <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">No arm has that name.</exception>
    public static AblationArm Find(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new UsageException($"Option --arms: '{name}' is not an arm; the arms are "
            + $"{string.Join(", ", All.Select(a => a.Name))}.");

    /// <summary>The run options of this arm: the preset with the arm's losses, steps and seed.</summary>
    public RunOptions Options(string preset, long steps, int seed)
    {
        var options = Presets.Get(preset);
        return options with
        {
            Train = options.Train with { Variant = Variant, MaxSteps = steps, Seed = seed },
            Loss = options.Loss with { ModeSeeking = LambdaMs },
        };
    }

    /// <summary>The train flags that give this arm, for the report's commands.</summary>
    public string Flags => $"--model {OptionsJson.Token(Variant)}"
        + (LambdaMs > 0 ? $" --lambda-ms {LambdaMs.ToString(CultureInfo.InvariantCulture)}" : "");
}
