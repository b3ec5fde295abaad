using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// A U-Net level for <see cref="WhereAddZ.All"/>: z is tiled and concatenated to this level's
/// input before its down-convolution, at this level's size. The skip connection carries the
/// input WITHOUT z, and nothing is added on the way up. Keys: <c>down.K</c>, <c>submodule.</c>…, <c>up.K</c>.
/// </summary>
internal sealed class UnetBlockWithZ : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "down")]
    private readonly TorchSharp.Modules.Sequential _down;
    [ComponentName(Name = "submodule")]
    private readonly UnetBlockWithZ? _submodule;
    [ComponentName(Name = "up")]
    private readonly TorchSharp.Modules.Sequential _up;
    private readonly UnetLevel _level;

    public UnetBlockWithZ(UnetLevel level, UnetBlockWithZ? submodule, ModelOptions o) : base(nameof(UnetBlockWithZ))
    {
        _level = level;
        _submodule = submodule;
        var downConv = Layers.Conv4(level.InputChannels + o.Nz, level.InnerChannels);
        var upActivation = Layers.Nonlinearity(o.DecoderActivation);
        if (level.Outermost)
        {
            _down = Layers.Sequence([downConv]);
            _up = Layers.Sequence([upActivation, .. Layers.UpConv(o.Upsample, 2 * level.InnerChannels,
                level.OuterChannels), nn.Tanh()]);
        }
        else if (level.Innermost)
        {
            _down = Layers.Sequence([Layers.Leaky(), downConv]);
            _up = Layers.Sequence([upActivation, .. Layers.UpConv(o.Upsample, level.InnerChannels,
                level.OuterChannels), .. Layers.Norm(o.Norm, level.OuterChannels)]);
        }
        else
        {
            _down = Layers.Sequence([Layers.Leaky(), downConv, .. Layers.Norm(o.Norm, level.InnerChannels)]);
            _up = Layers.Sequence([upActivation, .. Layers.UpConv(o.Upsample, 2 * level.InnerChannels,
                level.OuterChannels), .. Layers.Norm(o.Norm, level.OuterChannels),
                .. level.Dropout ? [nn.Dropout(0.5)] : Array.Empty<nn.Module<Tensor, Tensor>>()]);
        }
        RegisterComponents();
    }

    /// <param name="x">(N, C_in, H, W) this level's input.</param>
    /// <param name="z">(N, nz) the latent code.</param>
    /// <returns>(N, C_out, H, W) at the outermost level, else (N, C_out + C_in, H, W) with the skip.</returns>
    public override Tensor forward(Tensor x, Tensor z)
    {
        using var inner = _down.call(Layers.WithZ(x, z));
        using var below = _submodule?.call(inner, z);
        var up = _up.call(below ?? inner);
        if (_level.Outermost) return up;
        using (up) return cat([up, x], 1);
    }
}
