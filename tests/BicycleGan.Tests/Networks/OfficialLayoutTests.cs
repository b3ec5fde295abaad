using BicycleGan.Networks;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

/// <summary>
/// Our state dicts must hold exactly the official checkpoints' keys and shapes (REFERENCE.md §4),
/// so official .pth files load without renaming. The golden lists were written by
/// tests/reference/bicyclegan_reference.py from PyTorch networks.
/// </summary>
public sealed class OfficialLayoutTests
{
    public OfficialLayoutTests() => TestNets.Seed();

    [Fact]
    public void Generator_with_z_at_all_levels_matches_the_edges2shoes_checkpoint()
    {
        using var g = new UnetGenerator(new ModelOptions { InputChannels = 1 });
        AssertLayout(g, "G_unet_256_all.txt", tensors: 32, parameters: 54_792_579);
    }

    [Fact]
    public void Generator_with_z_at_the_input_matches_the_official_layout()
    {
        using var g = new UnetGenerator(new ModelOptions { WhereAddZ = WhereAddZ.Input });
        AssertLayout(g, "G_unet_256_input.txt", tensors: null, parameters: null);
    }

    [Fact]
    public void ResNet_encoder_matches_the_official_resnet_256()
    {
        using var e = new ResNetEncoder(new ModelOptions());
        AssertLayout(e, "E_resnet_256.txt", tensors: 30, parameters: 2_590_032);
    }

    [Fact]
    public void Two_scale_discriminator_matches_the_official_basic_256_multi()
    {
        using var d = new MultiScaleDiscriminator(new ModelOptions());
        AssertLayout(d, "D_basic_256_multi.txt", tensors: 20, parameters: 3_458_978);
    }

    private static void AssertLayout(nn.Module network, string golden, int? tensors, long? parameters)
    {
        var ours = network.state_dict().Select(kv => $"{kv.Key}\t{string.Join(",", kv.Value.shape)}").ToList();
        var expected = File.ReadAllLines(Path.Combine(Fixtures.Root, "keys", golden))
            .Where(line => line.Length > 0).ToList();
        Assert.Equal(expected, ours);
        if (tensors is not null) Assert.Equal(tensors, ours.Count);
        if (parameters is not null) Assert.Equal(parameters, network.parameters().Sum(p => p.numel()));
    }
}
