using BicycleGan.Networks;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

public sealed class WeightInitTests
{
    public WeightInitTests() => TestNets.Seed();

    [Fact]
    public void Xavier_with_gain_002_gives_the_reference_scale_and_zero_biases()
    {
        // xavier-normal std = gain · sqrt(2 / (fan_in + fan_out)); for a 64→128 4×4 conv: 0.02·sqrt(2/3072).
        using var conv = nn.Conv2d(64, 128, 4);
        WeightInit.Apply(conv, InitKind.Xavier, 0.02);
        double expected = 0.02 * Math.Sqrt(2.0 / (64 * 16 + 128 * 16));
        Assert.InRange(conv.weight!.std().item<float>(), expected * 0.95, expected * 1.05);
        Assert.Equal(0f, conv.bias!.abs().sum().item<float>());
    }

    [Theory]
    [InlineData(InitKind.Xavier)]
    [InlineData(InitKind.Normal)]
    [InlineData(InitKind.Kaiming)]
    [InlineData(InitKind.Orthogonal)]
    public void Every_init_kind_initialises_convs_linears_and_batch_norms(InitKind kind)
    {
        var o = TestNets.Tiny() with { Norm = NormKind.Batch, Init = kind };
        using var e = NetworkFactory.Encoder(o);
        WeightInit.Apply(e, kind, 0.02);
        foreach (var (name, p) in e.named_parameters())
        {
            if (name.EndsWith("bias")) Assert.Equal(0f, p.abs().sum().item<float>());
            else Assert.True(p.std().item<float>() > 0, $"{name} was not initialised");
        }
        var batchNorm = e.modules().OfType<BatchNorm>().First();
        Assert.InRange(batchNorm.Weight.mean().item<float>(), 0.9f, 1.1f);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        TestNets.Seed(5);
        using var a = NetworkFactory.Generator(TestNets.Tiny());
        WeightInit.Apply(a, InitKind.Xavier, 0.02);
        TestNets.Seed(5);
        using var b = NetworkFactory.Generator(TestNets.Tiny());
        WeightInit.Apply(b, InitKind.Xavier, 0.02);
        Assert.All(a.parameters().Zip(b.parameters()),
            pair => Assert.True(pair.First.bytes.SequenceEqual(pair.Second.bytes)));
    }
}
