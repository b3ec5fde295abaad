using BicycleGan.Networks;
using BicycleGan.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

public sealed class FlopCountTests
{
    public FlopCountTests() => TestNets.Seed();

    [Fact]
    public void The_outermost_level_of_unet_256_is_counted_as_worked_out_by_hand()
    {
        var o = new ModelOptions();
        var outermost = UnetLevel.Plan(o)[0];

        // Down: Conv4x4s2 (3 + nz 8 → 64) onto 128×128;
        // up: ConvTranspose4x4s2 (2·64 → 3) from 128×128.
        long down = 2L * 11 * 64 * 16 * 128 * 128;
        long up = 2L * 128 * 3 * 16 * 128 * 128;
        Assert.Equal(down + up, FlopCount.Level(outermost, o, 256));
        Assert.Equal(570_425_344L, down + up);
    }

    [Fact]
    public void The_innermost_level_of_unet_256_sees_one_pixel_and_no_skip()
    {
        var o = new ModelOptions();
        var innermost = UnetLevel.Plan(o)[^1];

        // 2×2 input: Conv (512 + 8 → 512) onto 1×1, then ConvTranspose (512 → 512) from 1×1.
        long expected = 2L * 520 * 512 * 16 + 2L * 512 * 512 * 16;
        Assert.Equal(expected, FlopCount.Level(innermost, o, 2));
    }

    [Fact]
    public void A_bilinear_decoder_is_counted_as_its_3x3_conv_at_the_level_size()
    {
        var o = new ModelOptions { Upsample = Upsampling.Bilinear };
        var outermost = UnetLevel.Plan(o)[0];

        long down = 2L * 11 * 64 * 16 * 128 * 128;
        long up = 2L * 128 * 3 * 9 * 256 * 256;
        Assert.Equal(down + up, FlopCount.Level(outermost, o, 256));
    }

    [Theory]
    [InlineData(GeneratorKind.Unet, WhereAddZ.All, Upsampling.Basic, 32)]
    [InlineData(GeneratorKind.Unet, WhereAddZ.Input, Upsampling.Basic, 64)]
    [InlineData(GeneratorKind.Unet, WhereAddZ.All, Upsampling.Bilinear, 64)]
    [InlineData(GeneratorKind.Small, WhereAddZ.All, Upsampling.Basic, 64)]
    public void The_count_equals_what_the_built_network_convolves(GeneratorKind kind,
        WhereAddZ where, Upsampling upsample, int size)
    {
        var o = TestNets.Tiny(where) with { Generator = kind, Upsample = upsample };
        using var g = NetworkFactory.Generator(o);

        // Independent of the plan: hook every conv of the real G and count from its weights.
        long observed = 0;
        void Hook(nn.Module<Tensor, Tensor> conv, Tensor weight, bool perOutputPixel) =>
            conv.register_forward_hook((_, input, output) =>
            {
                var pixels = perOutputPixel ? output : input;
                observed += 2 * weight.numel() * pixels.shape[2] * pixels.shape[3];
                return output;
            });
        foreach (var (_, module) in g.named_modules())
        {
            switch (module)
            {
                case Conv2d conv: Hook(conv, conv.weight!, perOutputPixel: true); break;
                case Conv4 conv: Hook(conv, conv.Weight, perOutputPixel: true); break;
                case ConvTranspose2d transposed: Hook(transposed, transposed.weight!, perOutputPixel: false); break;
                case ConvTranspose4 transposed: Hook(transposed, transposed.Weight, perOutputPixel: false); break;
            }
        }
        using var _ = no_grad();
        using var y = g.call(rand(1, o.InputChannels, size, size), randn(1, o.Nz));

        Assert.Equal(observed, FlopCount.Generator(o, size));
    }

    [Fact]
    public void A_size_the_generator_cannot_take_is_refused_with_a_sentence()
    {
        var error = Assert.Throws<ArgumentException>(
            () => FlopCount.Generator(new ModelOptions(), 100));
        Assert.StartsWith("G takes sides that are multiples of 256 px", error.Message);
    }
}
