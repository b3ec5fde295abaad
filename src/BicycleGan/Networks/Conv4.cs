using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The 4 × 4, padding-1 convolution of every U-Net level and PatchGAN layer (stride 2 halves
/// the map, stride 1 takes one pixel off), with <c>nn.Conv2d</c>'s keys and initialisation.
/// On small output maps of large layers it runs as one matrix product over unfolded patches:
/// there the weights outweigh the pixels, and libtorch's convolution would first copy all of
/// them into oneDNN's blocked layout on every call (and copy the weight gradient back). Other
/// layers go to libtorch's convolution. Both give the same numbers up to float rounding; the
/// product serves the whole batch at once, so an image made in another batch size can differ in
/// the last bits. The product is taken only where it was measured to win: on CPUs without
/// AVX-512 (see <see cref="MatrixProductPays"/>).
/// </summary>
internal sealed class Conv4 : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Output pixels per image up to which the matrix product is used: measured on 2 cores
    /// (AVX2), it wins or ties up to here at batches of 1, 2 and 8. Counted per image, so the
    /// path an image takes does not depend on its batch.
    /// </summary>
    public const long MatmulPixels = 16;

    /// <summary>
    /// Weights from which the matrix product is used: below, re-laying them out costs less than
    /// the extra unfold (measured: small-64's 0.3 M-weight levels ran slower with it).
    /// </summary>
    public const long MatmulWeights = 1 << 20;

    /// <summary>
    /// Whether this machine gains from the matrix product at all. On 2 AVX2 cores it cut the
    /// official nets' inner levels several-fold; on 2 AVX-512 cores libtorch's oneDNN kernels
    /// won instead (official-256: G at batch 8 went from 10.1 to 7.8 images/s and the training
    /// step from 1.67 to 1.89 s with it; bench/RESULTS.md), so there they keep every layer.
    /// </summary>
    public static bool MatrixProductPays { get; } = !System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly long _stride;
    private readonly bool _matrixProduct;

    /// <param name="matrixProduct">Allow the matrix product on small maps (by default where
    /// <see cref="MatrixProductPays"/>); tests force either path.</param>
    public Conv4(long inChannels, long outChannels, long stride, bool? matrixProduct = null) : base("Conv2d")
    {
        _weight = new Parameter(empty(outChannels, inChannels, 4, 4));
        _bias = new Parameter(empty(outChannels));
        _stride = stride;
        _matrixProduct = matrixProduct ?? MatrixProductPays;
        WeightInit.ResetLikeLibtorch(_weight, _bias);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    public Parameter Weight => _weight;

    /// <summary>Whether an output map of <paramref name="pixels"/> per image takes the matrix product.</summary>
    internal bool TakesMatrixProduct(long pixels) =>
        _matrixProduct && pixels <= MatmulPixels && _weight.numel() >= MatmulWeights;

    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], outChannels = _weight.shape[0];
        long height = (x.shape[2] - 2) / _stride + 1, width = (x.shape[3] - 2) / _stride + 1;
        if (!TakesMatrixProduct(height * width))
            return nn.functional.conv2d(x, _weight, _bias, strides: [_stride, _stride], padding: [1, 1]);

        // Patches of all images side by side, (C·16, N·h·w), so one product serves the batch and
        // the weight gradient is one product too.
        using var patches = nn.functional.unfold(x, 4, padding: 1, stride: _stride);
        using var columns = patches.transpose(0, 1).reshape(patches.shape[1], -1);
        using var product = _weight.view(outChannels, -1).matmul(columns);
        using var images = product.view(outChannels, n, height, width).transpose(0, 1);
        return Scalars.Add(images, _bias.view(1, outChannels, 1, 1));
    }
}
