using BicycleGan.Networks;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan;

/// <summary>
/// The networks of one model: G always; E unless the variant has none (pix2pix+noise); D for the
/// encoded branch and D2 for the random-z branch when their loss terms are on (one D judges both
/// with <see cref="ModelOptions.UseSameD"/>). Owns them and disposes them.
/// </summary>
public sealed class BicycleGanModel : IDisposable
{
    private BicycleGanModel(ModelOptions options, nn.Module<Tensor, Tensor, Tensor> g, Encoder? e,
        MultiScaleDiscriminator? d, MultiScaleDiscriminator? d2)
    {
        Options = options;
        G = g;
        E = e;
        D = d;
        D2 = d2;
    }

    public ModelOptions Options { get; }

    /// <summary>G(A, z) → B̂.</summary>
    public nn.Module<Tensor, Tensor, Tensor> G { get; }

    /// <summary>E(B) → (μ, logvar); null for pix2pix+noise.</summary>
    public Encoder? E { get; }

    /// <summary>Judges G(A, E(B)) (and everything, with UseSameD); null when G_GAN is off.</summary>
    public MultiScaleDiscriminator? D { get; }

    /// <summary>Judges G(A, z) for random z; null when G_GAN2 is off or D is shared.</summary>
    public MultiScaleDiscriminator? D2 { get; }

    /// <summary>The networks present, by their checkpoint names (net_G, net_E, net_D, net_D2).</summary>
    public IReadOnlyList<(string Name, nn.Module Network)> Networks =>
        new (string, nn.Module?)[] { ("G", G), ("E", E), ("D", D), ("D2", D2) }
            .Where(n => n.Item2 is not null).Select(n => (n.Item1, n.Item2!)).ToList();

    /// <summary>
    /// Builds and initialises the networks that <paramref name="variant"/> trains with
    /// <paramref name="weights"/>. Initialisation draws from torch's global generator: seed it first.
    /// </summary>
    public static BicycleGanModel Create(ModelOptions options, ModelVariant variant, LossWeights weights,
        bool discriminators = true)
    {
        var effective = weights.For(variant);
        var g = NetworkFactory.Generator(options);
        var e = variant == ModelVariant.Pix2PixNoise ? null : NetworkFactory.Encoder(options);
        bool needD = discriminators && (effective.Gan > 0 || (options.UseSameD && effective.Gan2 > 0));
        bool needD2 = discriminators && effective.Gan2 > 0 && !options.UseSameD;
        var d = needD ? NetworkFactory.Discriminator(options) : null;
        var d2 = needD2 ? NetworkFactory.Discriminator(options) : null;
        var model = new BicycleGanModel(options, g, e, d, d2);
        foreach (var (_, network) in model.Networks) WeightInit.Apply(network, options.Init, options.InitGain);
        return model;
    }

    /// <summary>Puts every network in training mode (dropout on, batch statistics) or evaluation mode.</summary>
    public void Train(bool training)
    {
        foreach (var (_, network) in Networks) network.train(training);
    }

    public void Dispose()
    {
        foreach (var (_, network) in Networks) network.Dispose();
    }
}
