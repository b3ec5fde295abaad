using BicycleGan.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// D: PatchGAN discriminators at <c>NumDs</c> scales. Scale i sees the image average-pooled i
/// times (3×3, stride 2, padding excluded from the mean) with ndf/2^i filters. Keys: <c>model_i</c>,
/// or <c>model</c> for a single scale, as in the official files.
/// </summary>
public sealed class MultiScaleDiscriminator : nn.Module<Tensor, Tensor[]>
{
    private readonly TorchSharp.Modules.Sequential[] _scales;
    private readonly nn.Module<Tensor, Tensor> _down;
    private readonly long _inputChannels;

    public MultiScaleDiscriminator(ModelOptions o) : base(nameof(MultiScaleDiscriminator))
    {
        _inputChannels = o.DiscriminatorInputChannels;
        _scales = new TorchSharp.Modules.Sequential[o.NumDs];
        for (int i = 0; i < o.NumDs; i++)
        {
            long ndf = (long)Math.Round(o.Ndf / Math.Pow(2, i), MidpointRounding.ToEven);
            _scales[i] = PatchDiscriminator.Build(_inputChannels, ndf, o.DiscriminatorLayers, o.Norm);
            register_module(o.NumDs == 1 ? "model" : $"model_{i}", _scales[i]);
        }
        _down = nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: false);
    }

    /// <param name="x">(N, C, H, W): B, or A and B concatenated for a conditional D.</param>
    /// <returns>One patch map (N, 1, h_i, w_i) per scale, finest first.</returns>
    public override Tensor[] forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != _inputChannels)
            throw new ArgumentException(
                $"D takes images shaped (N, {_inputChannels}, H, W), but got ({string.Join(", ", x.shape)}).");
        var maps = new Tensor[_scales.Length];
        Tensor input = x;
        for (int i = 0; i < _scales.Length; i++)
        {
            maps[i] = _scales[i].call(input);
            if (i == _scales.Length - 1) break;
            var smaller = _down.call(input);
            if (!ReferenceEquals(input, x)) input.Dispose();
            input = smaller;
        }
        if (!ReferenceEquals(input, x)) input.Dispose();
        return maps;
    }
}
