using BicycleGan.Options;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// E(B) → (μ, logvar): a convolutional trunk <c>conv</c> and two linear heads <c>fc</c> (μ) and
/// <c>fcVar</c> (log σ²), as in every reference encoder. Subclasses build the trunk.
/// </summary>
public abstract class Encoder : nn.Module<Tensor, (Tensor Mu, Tensor LogVar)>
{
    // Declared in the official resnet encoder's order, which is the order of its checkpoint keys.
    [ComponentName(Name = "fc")]
    private readonly TorchSharp.Modules.Sequential _fc;
    [ComponentName(Name = "fcVar")]
    private readonly TorchSharp.Modules.Sequential _fcVar;
    [ComponentName(Name = "conv")]
    private readonly TorchSharp.Modules.Sequential _conv;
    private readonly long _inputChannels;
    private readonly bool _flattenMap;

    /// <param name="trunk">The convolutional layers, key prefix <c>conv</c>.</param>
    /// <param name="features">Length of the flattened trunk output the heads read.</param>
    /// <param name="flattenMap">Flatten the whole map (small encoder) instead of averaging it to 1×1.</param>
    private protected Encoder(string name, ModelOptions o, IEnumerable<nn.Module<Tensor, Tensor>> trunk,
        long features, bool flattenMap) : base(name)
    {
        _inputChannels = o.OutputChannels;
        _flattenMap = flattenMap;
        _conv = Layers.Sequence(trunk);
        _fc = Layers.Sequence([nn.Linear(features, o.Nz)]);
        _fcVar = Layers.Sequence([nn.Linear(features, o.Nz)]);
        RegisterComponents();
    }

    /// <param name="b">(N, output_nc, H, W) images in [-1, 1].</param>
    /// <returns>μ and logvar, each (N, nz).</returns>
    public override (Tensor Mu, Tensor LogVar) forward(Tensor b)
    {
        if (b.dim() != 4 || b.shape[1] != _inputChannels)
            throw new ArgumentException(
                $"E takes images shaped (N, {_inputChannels}, H, W), but got ({string.Join(", ", b.shape)}).");
        using var map = _conv.call(b);
        // The reference pools an 8×8 map with AvgPool2d(8); a global mean is the same there and
        // lets E read any size the generator accepts.
        using var features = _flattenMap ? map.flatten(1) : map.mean([2L, 3L]);
        return (_fc.call(features), _fcVar.call(features));
    }
}
