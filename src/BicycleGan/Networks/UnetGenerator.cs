using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// G(A, z): the reference U-Net generator. z enters at every encoder level
/// (<see cref="UnetBlockWithZ"/>, the default) or once at the input (<see cref="UnetBlock"/>).
/// Checkpoint keys match the official unet_128/unet_256 files (REFERENCE.md §4).
/// </summary>
public sealed class UnetGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly UnetBlockWithZ? _zAtAllLevels;
    [ComponentName(Name = "model")]
    private readonly UnetBlock? _zAtInput;
    private readonly ModelOptions _options;

    public UnetGenerator(ModelOptions options) : base(nameof(UnetGenerator))
    {
        _options = options;
        var levels = UnetLevel.Plan(options);
        if (options.WhereAddZ == WhereAddZ.All)
        {
            UnetBlockWithZ? block = null;
            foreach (var level in levels.Reverse()) block = new UnetBlockWithZ(level, block, options);
            _zAtAllLevels = block!;
        }
        else
        {
            UnetBlock? block = null;
            foreach (var level in levels.Reverse()) block = new UnetBlock(level, block, options);
            _zAtInput = block!;
        }
        RegisterComponents();
    }

    /// <param name="a">(N, input_nc, H, W) in [-1, 1]; H and W multiples of 2^num_downs.</param>
    /// <param name="z">(N, nz) latent codes.</param>
    /// <returns>(N, output_nc, H, W) in [-1, 1].</returns>
    public override Tensor forward(Tensor a, Tensor z)
    {
        NetworkChecks.Image(a, _options.InputChannels, _options.SizeMultiple, "G");
        NetworkChecks.Code(z, a, _options.Nz, "G");
        if (_zAtAllLevels is not null) return _zAtAllLevels.call(a, z);
        using var withZ = Layers.WithZ(a, z);
        return _zAtInput!.call(withZ);
    }
}
