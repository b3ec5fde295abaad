using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// The 4 × 4, stride-2, padding-1 transposed convolution that doubles a U-Net level's map
/// (upsample "basic"), with <c>nn.ConvTranspose2d</c>'s keys and initialisation. On small
/// input maps of large layers (see <see cref="Conv4"/>) it runs as one matrix product
/// scattered into the output by <c>fold</c>, the operation's definition: libtorch's own kernel
/// reorders or re-lays out the whole weight on every call, which dominates when the weights
/// outweigh the pixels. Larger maps go to libtorch's kernel. Both give the same numbers up to
/// float rounding (and, as with <see cref="Conv4"/>, an image can differ in the last bits
/// between batch sizes). Like <see cref="Conv4"/>, it takes the product only where
/// <see cref="Conv4.MatrixProductPays"/>.
/// </summary>
internal sealed class ConvTranspose4 : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Input pixels per image up to which the matrix product is used (measured as for
    /// <see cref="Conv4.MatmulPixels"/>; libtorch's transposed kernel loses up to larger maps).
    /// </summary>
    public const long MatmulPixels = 64;

    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly bool _matrixProduct;

    /// <param name="matrixProduct">Allow the matrix product on small maps (by default where
    /// <see cref="Conv4.MatrixProductPays"/>); tests force either path.</param>
    public ConvTranspose4(long inChannels, long outChannels, bool? matrixProduct = null) : base("ConvTranspose2d")
    {
        _weight = new Parameter(empty(inChannels, outChannels, 4, 4));
        _bias = new Parameter(empty(outChannels));
        _matrixProduct = matrixProduct ?? Conv4.MatrixProductPays;
        WeightInit.ResetLikeLibtorch(_weight, _bias);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    public Parameter Weight => _weight;

    /// <summary>Whether an input map of <paramref name="pixels"/> per image takes the matrix product.</summary>
    internal bool TakesMatrixProduct(long pixels) =>
        _matrixProduct && pixels <= MatmulPixels && _weight.numel() >= Conv4.MatmulWeights;

    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], inChannels = x.shape[1], height = x.shape[2], width = x.shape[3];
        long outChannels = _weight.shape[1];
        if (!TakesMatrixProduct(height * width))
        {
            return nn.functional.conv_transpose2d(x, _weight, _bias, strides: [2, 2], padding: [1, 1]);
        }

        // Every input pixel's contribution to its 4 × 4 output patch, all images at once.
        using var pixels = x.transpose(0, 1).reshape(inChannels, -1);
        using var product = _weight.view(inChannels, -1).t().matmul(pixels);
        using var columns = product.view(outChannels * 16, n, height * width).transpose(0, 1);
        using var images = nn.functional.fold(columns, (2 * height, 2 * width), (4, 4), padding: (1, 1),
            stride: (2, 2));
        return Scalars.Add(images, _bias.view(1, outChannels, 1, 1));
    }
}
