using BicycleGan.Networks;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

/// <summary>
/// The 4 × 4 convolutions take a matrix product on small maps and libtorch's kernels on large
/// ones; both sides must give libtorch's outputs and gradients.
/// </summary>
public sealed class Conv4Tests
{
    // Enough weights (256 · 256 · 16 = 2^20) for the matrix product to be chosen on small maps.
    private const int Channels = 256;

    public Conv4Tests() => TestNets.Seed();

    [Theory]
    [InlineData(2, 4, 2)] // 2 × 2 out: the matrix product
    [InlineData(3, 8, 2)] // 4 × 4 out: still the product (16 pixels)
    [InlineData(2, 5, 1)] // stride 1, 4 × 4 out
    [InlineData(2, 16, 2)] // 8 × 8 out: libtorch's convolution
    public void A_convolution_matches_libtorch_forward_and_backward(int batch, int side, int stride)
    {
        using var conv = new Conv4(Channels, Channels, stride, matrixProduct: true);
        var x = randn(batch, Channels, side, side).requires_grad_(true);
        long pixels = (long)Math.Pow((side - 2) / stride + 1, 2);
        Assert.Equal(side < 16, conv.TakesMatrixProduct(pixels));
        var expectedX = x.detach().clone().requires_grad_(true);
        var weight = conv.Weight.detach().clone().requires_grad_(true);
        var bias = conv.get_parameter("bias")!.detach().clone().requires_grad_(true);

        var y = conv.call(x);
        var expected = nn.functional.conv2d(expectedX, weight, bias, strides: [stride, stride], padding: [1, 1]);
        var upstream = randn_like(expected);
        (y * upstream).sum().backward();
        (expected * upstream).sum().backward();

        AssertClose(expected, y);
        AssertClose(weight.grad!, conv.Weight.grad!);
        AssertClose(bias.grad!, conv.get_parameter("bias")!.grad!);
        AssertClose(expectedX.grad!, x.grad!);
    }

    [Theory]
    [InlineData(2, 1)] // 1 × 1 in: the matrix product
    [InlineData(3, 8)] // 8 × 8 in: still the product (64 pixels)
    [InlineData(2, 16)] // 16 × 16 in: libtorch's kernel
    public void A_transposed_convolution_matches_libtorch_forward_and_backward(int batch, int side)
    {
        using var up = new ConvTranspose4(Channels, Channels, matrixProduct: true);
        var x = randn(batch, Channels, side, side).requires_grad_(true);
        Assert.Equal(side < 16, up.TakesMatrixProduct(side * side));
        var expectedX = x.detach().clone().requires_grad_(true);
        var weight = up.Weight.detach().clone().requires_grad_(true);
        var bias = up.get_parameter("bias")!.detach().clone().requires_grad_(true);

        var y = up.call(x);
        var expected = nn.functional.conv_transpose2d(expectedX, weight, bias, strides: [2, 2], padding: [1, 1]);
        var upstream = randn_like(expected);
        (y * upstream).sum().backward();
        (expected * upstream).sum().backward();

        Assert.Equal(expected.shape, y.shape);
        AssertClose(expected, y);
        AssertClose(weight.grad!, up.Weight.grad!);
        AssertClose(bias.grad!, up.get_parameter("bias")!.grad!);
        AssertClose(expectedX.grad!, x.grad!);
    }

    [Theory]
    [InlineData(4)] // the matrix products
    [InlineData(16)] // libtorch's kernels
    public void An_image_comes_out_the_same_alone_or_in_a_batch_to_float_rounding(int side)
    {
        using var conv = new Conv4(Channels, Channels, 2, matrixProduct: true);
        using var up = new ConvTranspose4(Channels, Channels, matrixProduct: true);
        using var _ = inference_mode();
        var batch = randn(8, Channels, side, side);
        var alone = up.call(conv.call(batch[..1]));
        var inBatch = up.call(conv.call(batch))[..1];
        AssertClose(alone, inBatch);
    }

    [Fact]
    public void Small_layers_always_take_libtorch_s_kernels()
    {
        using var conv = new Conv4(16, 16, 2, matrixProduct: true);
        using var up = new ConvTranspose4(16, 16, matrixProduct: true);
        Assert.False(conv.TakesMatrixProduct(1));
        Assert.False(up.TakesMatrixProduct(1));
    }

    [Fact]
    public void The_matrix_product_can_be_turned_off_and_follows_the_machine_by_default()
    {
        using var off = new Conv4(Channels, Channels, 2, matrixProduct: false);
        using var offUp = new ConvTranspose4(Channels, Channels, matrixProduct: false);
        using var byMachine = new Conv4(Channels, Channels, 2);
        Assert.False(off.TakesMatrixProduct(1));
        Assert.False(offUp.TakesMatrixProduct(1));
        Assert.Equal(Conv4.MatrixProductPays, byMachine.TakesMatrixProduct(1));
        Assert.Equal(!System.Runtime.Intrinsics.X86.Avx512F.IsSupported, Conv4.MatrixProductPays);
    }

    [Fact]
    public void Both_keep_libtorch_s_keys_and_shapes()
    {
        using var conv = new Conv4(3, 8, 2);
        using var up = new ConvTranspose4(8, 3);
        Assert.Equal(["weight", "bias"], conv.named_parameters().Select(p => p.name));
        Assert.Equal([8L, 3, 4, 4], conv.Weight.shape);
        Assert.Equal([8L, 3, 4, 4], up.Weight.shape);
        Assert.Equal([3L], up.get_parameter("bias")!.shape);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        double scale = Math.Max(1, expected.abs().max().item<float>());
        double worst = (expected - actual).abs().max().item<float>() / scale;
        Assert.True(worst < 1e-5, $"max |difference| {worst:G3} of the largest value");
    }
}
