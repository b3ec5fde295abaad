using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The encoder's pre-activation residual block, halving the size:
/// conv = [norm, LReLU, conv3×3(in→in), norm, LReLU, [conv3×3(in→out), avgpool2]];
/// shortcut = [avgpool2, conv1×1(in→out)]; output = conv(x) + shortcut(x).
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv")]
    private readonly TorchSharp.Modules.Sequential _conv;
    [ComponentName(Name = "shortcut")]
    private readonly TorchSharp.Modules.Sequential _shortcut;
    private readonly bool _shortcutSeesActivation;

    public ResidualBlock(long inChannels, long outChannels, NormKind norm) : base(nameof(ResidualBlock))
    {
        var convThenPool = Layers.Sequence([
            nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: 1, padding: 1L), nn.AvgPool2d(2, 2)]);
        _conv = Layers.Sequence([
            .. Layers.Norm(norm, inChannels), Layers.Leaky(),
            nn.Conv2d(inChannels, inChannels, kernel_size: 3, stride: 1, padding: 1L),
            .. Layers.Norm(norm, inChannels), Layers.Leaky(), convThenPool]);
        _shortcut = Layers.Sequence([
            nn.AvgPool2d(2, 2), nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: 1, padding: 0L)]);
        // Without a norm the official block opens with an in-place LeakyReLU that rewrites x before
        // the shortcut reads it; official weights were trained with that, so we reproduce it.
        _shortcutSeesActivation = norm == NormKind.None;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var residual = _conv.call(x);
        using var activated = _shortcutSeesActivation ? x.leaky_relu(Scalars.Of(Layers.LeakySlope)) : null;
        using var shortcut = _shortcut.call(activated ?? x);
        return Scalars.Add(residual, shortcut);
    }
}
