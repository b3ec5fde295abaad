using BicycleGan.Options;

namespace BicycleGan.Networks;

/// <summary>
/// Floating-point operations of G's forward pass, counted from the configured architecture, so
/// a benchmark can turn images per second into achieved GFLOP/s. Only convolutions count, at 2
/// FLOPs per multiply-add; biases, norms, activations, concatenations and the bilinear resize
/// itself are left out (together a few percent of a U-Net's work).
/// </summary>
public static class FlopCount
{
    /// <summary>FLOPs of G's forward pass for ONE image of side <paramref name="size"/>.</summary>
    /// <exception cref="ArgumentException">The size does not fit the generator.</exception>
    public static long Generator(ModelOptions options, int size)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (size <= 0 || size % options.SizeMultiple != 0)
        {
            throw new ArgumentException($"G takes sides that are multiples of "
                + $"{options.SizeMultiple} px, so {size} px cannot be counted.", nameof(size));
        }
        return options.Generator switch
        {
            GeneratorKind.Unet =>
                UnetLevel.Plan(options).Sum(l => Level(l, options, size >> l.Depth)),
            GeneratorKind.Small => SmallGenerator(options, size),
            _ => throw new ArgumentException($"Generator {options.Generator} has no FLOP count.",
                nameof(options)),
        };
    }

    /// <summary>A convolution: Cin·k² multiply-adds per output pixel and channel.</summary>
    public static long Conv(long inChannels, long outChannels, long kernel, long outHeight,
        long outWidth) =>
        2 * inChannels * outChannels * kernel * kernel * outHeight * outWidth;

    /// <summary>
    /// A transposed convolution, counted per INPUT pixel: each one scatters a k×k patch into
    /// every output channel. (Per output pixel this is the same work: k²/stride² taps each.)
    /// </summary>
    public static long TransposedConv(long inChannels, long outChannels, long kernel,
        long inHeight, long inWidth) =>
        2 * inChannels * outChannels * kernel * kernel * inHeight * inWidth;

    /// <summary>The down- and up-convolution of one U-Net level with a side × side input.</summary>
    internal static long Level(UnetLevel level, ModelOptions o, long side)
    {
        // z joins every level's input with where_add = all, and only the image otherwise.
        bool withZ = o.WhereAddZ == WhereAddZ.All || level.Outermost;
        long downIn = level.InputChannels + (withZ ? o.Nz : 0);
        long half = side / 2;
        long down = Conv(downIn, level.InnerChannels, 4, half, half);

        // Below the innermost level the decoder also reads the skip, doubling its input.
        long upIn = level.Innermost ? level.InnerChannels : 2 * level.InnerChannels;
        long up = o.Upsample switch
        {
            Upsampling.Basic => TransposedConv(upIn, level.OuterChannels, 4, half, half),
            Upsampling.Bilinear => Conv(upIn, level.OuterChannels, 3, side, side),
            _ => throw new ArgumentException(
                $"Upsampling {o.Upsample} has no FLOP count.", nameof(o)),
        };
        return down + up;
    }

    /// <summary>The seed article's G: four 4×4 stride-2 convs down, four transposed up.</summary>
    private static long SmallGenerator(ModelOptions o, long size)
    {
        long side = size / 2;
        long flops = Conv(o.InputChannels + o.Nz, o.Ngf, 4, side, side);
        for (long width = o.Ngf; width < 8 * o.Ngf; width *= 2)
        {
            side /= 2;
            flops += Conv(width, 2 * width, 4, side, side);
        }
        for (long width = 8L * o.Ngf; width > o.Ngf; width /= 2)
        {
            flops += TransposedConv(width, width / 2, 4, side, side);
            side *= 2;
        }
        return flops + TransposedConv(o.Ngf, o.OutputChannels, 4, side, side);
    }
}
