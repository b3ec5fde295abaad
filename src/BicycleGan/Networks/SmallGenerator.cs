using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The seed article's generator for 64×64 images: z tiled and concatenated to the image, four
/// strided convolutions down to 4×4 (ngf…8 ngf) and four transposed convolutions back, no skips.
/// One Sequential <c>model</c>.
/// </summary>
public sealed class SmallGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly TorchSharp.Modules.Sequential _model;
    private readonly ModelOptions _options;

    public SmallGenerator(ModelOptions o) : base(nameof(SmallGenerator))
    {
        _options = o;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Layers.Conv4(o.InputChannels + o.Nz, o.Ngf), Layers.Leaky(),
        };
        for (long width = o.Ngf; width < 8 * o.Ngf; width *= 2)
        {
            layers.Add(Layers.Conv4(width, 2 * width));
            layers.AddRange(Layers.Norm(o.Norm, 2 * width));
            layers.Add(Layers.Leaky());
        }
        for (long width = 8L * o.Ngf; width > o.Ngf; width /= 2)
        {
            layers.Add(nn.ConvTranspose2d(width, width / 2, kernel_size: 4, stride: 2, padding: 1L));
            layers.AddRange(Layers.Norm(o.Norm, width / 2));
            layers.Add(nn.ReLU());
        }
        layers.Add(nn.ConvTranspose2d(o.Ngf, o.OutputChannels, kernel_size: 4, stride: 2, padding: 1L));
        layers.Add(nn.Tanh());
        _model = Layers.Sequence(layers);
        RegisterComponents();
    }

    /// <param name="a">(N, input_nc, 64, 64) in [-1, 1].</param>
    /// <param name="z">(N, nz).</param>
    /// <returns>(N, output_nc, 64, 64) in [-1, 1].</returns>
    public override Tensor forward(Tensor a, Tensor z)
    {
        NetworkChecks.Image(a, _options.InputChannels, _options.SizeMultiple, "G");
        NetworkChecks.Code(z, a, _options.Nz, "G");
        using var withZ = Layers.WithZ(a, z);
        return _model.call(withZ);
    }
}
