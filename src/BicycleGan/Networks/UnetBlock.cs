using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// A U-Net level for <see cref="WhereAddZ.Input"/>: z was concatenated to the image once, so a
/// level is a plain Sequential <c>model</c> = [down…, submodule, up…] (official key layout).
/// As in the official code, the skip carries LeakyReLU(x), not x: there the block opens with an
/// in-place LeakyReLU that rewrites its input before the concatenation reads it, and official
/// weights for this variant were trained that way.
/// </summary>
internal sealed class UnetBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly TorchSharp.Modules.Sequential _model;
    private readonly bool _outermost;

    public UnetBlock(UnetLevel level, UnetBlock? submodule, ModelOptions o) : base(nameof(UnetBlock))
    {
        _outermost = level.Outermost;
        long input = level.Outermost ? level.InputChannels + o.Nz : level.InputChannels;
        var downConv = Layers.Conv4(input, level.InnerChannels);
        var upActivation = Layers.Nonlinearity(o.DecoderActivation);
        IEnumerable<nn.Module<Tensor, Tensor>> layers;
        if (level.Outermost)
        {
            layers = [downConv, submodule!, upActivation,
                .. Layers.UpConv(o.Upsample, 2 * level.InnerChannels, level.OuterChannels), nn.Tanh()];
        }
        else if (level.Innermost)
        {
            layers = [Layers.Leaky(), downConv, upActivation,
                .. Layers.UpConv(o.Upsample, level.InnerChannels, level.OuterChannels),
                .. Layers.Norm(o.Norm, level.OuterChannels)];
        }
        else
        {
            layers = [Layers.Leaky(), downConv, .. Layers.Norm(o.Norm, level.InnerChannels), submodule!, upActivation,
                .. Layers.UpConv(o.Upsample, 2 * level.InnerChannels, level.OuterChannels),
                .. Layers.Norm(o.Norm, level.OuterChannels),
                .. level.Dropout ? [nn.Dropout(0.5)] : Array.Empty<nn.Module<Tensor, Tensor>>()];
        }
        _model = Layers.Sequence(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = _model.call(x);
        if (_outermost) return y;
        using (y)
        using (var skip = x.leaky_relu(Scalars.Of(Layers.LeakySlope)))
            return cat([y, skip], 1);
    }
}
