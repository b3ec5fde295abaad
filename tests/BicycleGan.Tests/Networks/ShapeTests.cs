using BicycleGan.Networks;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

public sealed class ShapeTests
{
    public ShapeTests() => TestNets.Seed();

    [Theory]
    [InlineData(WhereAddZ.All, Upsampling.Basic, NormKind.Instance, Activation.Relu, false, 5, 32)]
    [InlineData(WhereAddZ.All, Upsampling.Bilinear, NormKind.Batch, Activation.LeakyRelu, true, 6, 64)]
    [InlineData(WhereAddZ.Input, Upsampling.Basic, NormKind.None, Activation.Elu, true, 5, 64)]
    [InlineData(WhereAddZ.Input, Upsampling.Bilinear, NormKind.Instance, Activation.Relu, false, 6, 64)]
    public void Generator_keeps_the_image_size_and_gives_output_channels(WhereAddZ where, Upsampling up,
        NormKind norm, Activation nl, bool dropout, int numDowns, int size)
    {
        var o = TestNets.Tiny(where) with
        {
            Upsample = up, Norm = norm, DecoderActivation = nl, UseDropout = dropout, NumDowns = numDowns,
        };
        using var g = new UnetGenerator(o);
        using var a = rand(2, 1, size, size);
        using var z = randn(2, o.Nz);
        using var y = g.call(a, z);
        Assert.Equal(new long[] { 2, 3, size, size }, y.shape);
        Assert.True(y.abs().max().item<float>() <= 1f, "tanh output must stay in [-1, 1]");
    }

    [Theory]
    [InlineData(EncoderKind.ResNet, 32)]
    [InlineData(EncoderKind.ResNet, 96)]
    [InlineData(EncoderKind.Conv, 32)]
    [InlineData(EncoderKind.Conv, 128)]
    public void Encoders_return_mu_and_logvar_at_any_size_the_generator_takes(EncoderKind kind, int size)
    {
        var o = TestNets.Tiny() with { Encoder = kind };
        using var e = NetworkFactory.Encoder(o);
        using var b = rand(3, 3, size, size);
        var (mu, logVar) = e.call(b);
        Assert.Equal(new long[] { 3, o.Nz }, mu.shape);
        Assert.Equal(new long[] { 3, o.Nz }, logVar.shape);
    }

    [Theory]
    [InlineData(1, 3, 64, new[] { 6L })]
    [InlineData(2, 2, 64, new[] { 14L, 6L })]
    [InlineData(3, 2, 64, new[] { 14L, 6L, 2L })]
    public void Discriminator_gives_one_patch_map_per_scale(int numDs, int layers, int size, long[] sides)
    {
        var o = TestNets.Tiny() with { NumDs = numDs, DiscriminatorLayers = layers, ConditionalD = true };
        using var d = new MultiScaleDiscriminator(o);
        using var x = rand(2, 4, size, size);
        var maps = d.call(x);
        Assert.Equal(sides, maps.Select(m => m.shape[2]).ToArray());
        Assert.All(maps, m => Assert.Equal(new long[] { 2, 1 }, m.shape[..2]));
    }

    [Fact]
    public void Official_unet_256_turns_256_px_into_256_px_and_D_gives_30_and_14()
    {
        var o = new ModelOptions { Ngf = 8, Ndf = 8, Nef = 8 };
        using var g = new UnetGenerator(o);
        using var d = new MultiScaleDiscriminator(o);
        using var _ = no_grad();
        using var y = g.call(rand(1, 3, 256, 256), randn(1, 8));
        var maps = d.call(y);
        Assert.Equal(new long[] { 1, 3, 256, 256 }, y.shape);
        Assert.Equal([30L, 14L], maps.Select(m => m.shape[3]).ToArray());
    }

    [Fact]
    public void Small_nets_work_on_64_px()
    {
        var o = TestNets.Tiny() with { Generator = GeneratorKind.Small, Encoder = EncoderKind.Small };
        using var g = NetworkFactory.Generator(o);
        using var e = NetworkFactory.Encoder(o);
        using var y = g.call(rand(2, 1, 64, 64), randn(2, o.Nz));
        var (mu, _) = e.call(y);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, y.shape);
        Assert.Equal(new long[] { 2, o.Nz }, mu.shape);
    }

    [Fact]
    public void A_wrongly_shaped_input_is_refused_with_a_sentence()
    {
        using var g = new UnetGenerator(TestNets.Tiny());
        var error = Assert.Throws<ArgumentException>(() => g.call(rand(2, 1, 48, 48), randn(2, 4)));
        Assert.Contains("multiples of 32", error.Message);
        error = Assert.Throws<ArgumentException>(() => g.call(rand(2, 1, 32, 32), randn(2, 5)));
        Assert.Contains("latent codes shaped (2, 4)", error.Message);
    }
}
