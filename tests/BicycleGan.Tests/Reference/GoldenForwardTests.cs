using BicycleGan.Networks;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Reference;

/// <summary>
/// One forward pass of each network at fixed weights must match what PyTorch computed for the
/// same weights and inputs (tests/reference/bicyclegan_reference.py; threads pinned to 1).
/// </summary>
public sealed class GoldenForwardTests
{
    private const double Tolerance = 1e-5;

    public GoldenForwardTests() => TestNets.Seed();

    [Theory]
    [InlineData("unet_all")]
    [InlineData("unet_input_bilinear")]
    [InlineData("unet_all_none_elu")]
    [InlineData("small_generator")]
    public void Generator_matches_PyTorch(string name)
    {
        using var golden = new ReferenceCase(name);
        using var g = NetworkFactory.Generator(ReferenceCase.Options(golden.Config));
        golden.LoadInto(g, "param.");
        using var y = g.call(golden["x"], golden["z"]);
        ReferenceCase.AssertClose(golden["y"], y, Tolerance, name);
    }

    [Theory]
    [InlineData("resnet_encoder")]
    [InlineData("conv_encoder")]
    [InlineData("small_encoder")]
    public void Encoder_matches_PyTorch(string name)
    {
        using var golden = new ReferenceCase(name);
        using var e = NetworkFactory.Encoder(ReferenceCase.Options(golden.Config));
        golden.LoadInto(e, "param.");
        var (mu, logVar) = e.call(golden["x"]);
        ReferenceCase.AssertClose(golden["mu"], mu, Tolerance, name + " mu");
        ReferenceCase.AssertClose(golden["logvar"], logVar, Tolerance, name + " logvar");
    }

    [Theory]
    [InlineData("patch_discriminator_multi")]
    [InlineData("patch_discriminator_single")]
    public void Discriminator_matches_PyTorch(string name)
    {
        using var golden = new ReferenceCase(name);
        using var d = NetworkFactory.Discriminator(ReferenceCase.Options(golden.Config));
        golden.LoadInto(d, "param.");
        var maps = d.call(golden["x"]);
        for (int i = 0; i < maps.Length; i++)
            ReferenceCase.AssertClose(golden[$"out{i}"], maps[i], Tolerance, $"{name} scale {i}");
        Assert.False(golden.Has($"out{maps.Length}"), "PyTorch produced more scales than we did");
    }
}
