using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests;

/// <summary>Tiny configurations that keep the suite fast on two cores.</summary>
internal static class TestNets
{
    /// <summary>32 px, 4-8 filters: every network in milliseconds.</summary>
    public static ModelOptions Tiny(WhereAddZ where = WhereAddZ.All) => new()
    {
        InputChannels = 1,
        OutputChannels = 3,
        Nz = 4,
        Ngf = 4,
        Nef = 4,
        Ndf = 4,
        NumDowns = 5,
        WhereAddZ = where,
        EncoderBlocks = 3,
        DiscriminatorLayers = 2,
        NumDs = 2,
    };

    public static void Seed(long seed = 0)
    {
        TorchRuntime.Initialize(1);
        random.manual_seed(seed);
    }

    /// <summary>A batch of (A, B) pairs in [-1, 1].</summary>
    public static (Tensor A, Tensor B) Batch(ModelOptions o, int n = 2, int size = 32)
    {
        var a = rand(n, o.InputChannels, size, size) * 2 - 1;
        var b = rand(n, o.OutputChannels, size, size) * 2 - 1;
        return (a, b);
    }
}
