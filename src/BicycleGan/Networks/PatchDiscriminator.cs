using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// One PatchGAN scale: [conv4×4 s2 (in → ndf), LReLU, (conv4×4 s2 → ndf·min(2^n, 8), norm, LReLU)
/// × (layers − 1), conv4×4 s1 → ndf·min(2^layers, 8), norm, LReLU, conv4×4 s1 → 1]. No sigmoid:
/// the GAN loss takes logits (vanilla) or scores (lsgan). Each output pixel judges one patch.
/// </summary>
public static class PatchDiscriminator
{
    public static TorchSharp.Modules.Sequential Build(long inChannels, long ndf, int layers, NormKind norm)
    {
        var sequence = new List<nn.Module<Tensor, Tensor>> { Layers.Conv4(inChannels, ndf), Layers.Leaky() };
        long width = ndf;
        for (int n = 1; n < layers; n++)
        {
            long input = width;
            width = ndf * Math.Min(1L << n, 8L);
            sequence.Add(Layers.Conv4(input, width));
            sequence.AddRange(Layers.Norm(norm, width));
            sequence.Add(Layers.Leaky());
        }
        long last = ndf * Math.Min(1L << layers, 8L);
        sequence.Add(Layers.Conv4(width, last, stride: 1));
        sequence.AddRange(Layers.Norm(norm, last));
        sequence.Add(Layers.Leaky());
        sequence.Add(Layers.Conv4(last, 1, stride: 1));
        return Layers.Sequence(sequence);
    }
}
