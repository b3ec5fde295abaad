using BicycleGan.Networks;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Networks;

/// <summary>
/// The 4 × 4 convolutions take a matrix product on small maps and libtorch's kernels on large
/// ones; both sides must give libtorch's outputs and gradients.
/// </summary>
public sealed class Conv4Tests
{
    public Conv4Tests() => TestNets.Seed();

    [Theory]
    [InlineData(2, 8, 2)] // 4 × 4 out: the matrix product
    [InlineData(3, 16, 2)] // 8 × 8 out: still the product (64 pixels)
    [InlineData(2, 7, 1)] // stride 1, 6 × 6 out
    [InlineData(1, 32, 2)] // 16 × 16 out: libtorch's convolution
    public void A_convolution_matches_libtorch_forward_and_backward(int batch, int side, int stride)
    {
        using var conv = new Conv4(5, 6, stride);
        var x = randn(batch, 5, side, side).requires_grad_(true);
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
    [InlineData(3, 8)] // 8 × 8 in: still the product
    [InlineData(1, 16)] // 16 × 16 in: libtorch's kernel
    public void A_transposed_convolution_matches_libtorch_forward_and_backward(int batch, int side)
    {
        using var up = new ConvTranspose4(6, 5);
        var x = randn(batch, 6, side, side).requires_grad_(true);
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
        double worst = (expected - actual).abs().max().item<float>();
        Assert.True(worst < 1e-4, $"max |difference| {worst:G3}");
    }
}
