using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// Turns a decoded pair into a training example: picks input and target by direction, converts
/// channels, resizes per the preprocess mode, then crops and flips A and B with the SAME choices
/// so the pair stays aligned pixel for pixel.
/// </summary>
internal sealed class PairTransform
{
    private readonly DataOptions _options;

    public PairTransform(DataOptions options)
    {
        _options = options.Validate();
    }

    /// <summary>
    /// <paramref name="first"/> is A as stored (left half, folder A); <paramref name="second"/>
    /// is B as stored, or null for inputs only.
    /// </summary>
    public PairedImage Apply(HostImage first, HostImage? second, AugmentParams aug, string source)
    {
        bool swap = second is not null && _options.Direction == TranslationDirection.BtoA;
        HostImage input = swap ? second! : first;
        HostImage? target = swap ? first : second;
        input = ImageOps.ToChannels(input, _options.InputChannels);
        target = target is null ? null : ImageOps.ToChannels(target, _options.OutputChannels);

        // Each side is sized on its own, as pix2pix does, so pairs stored at different
        // resolutions still work when the mode resizes both to one size.
        var (height, width) = TargetSize(input.Height, input.Width, source);
        input = ImageOps.Resize(input, height, width);
        if (target is not null)
        {
            if (TargetSize(target.Height, target.Width, source) != (height, width))
            {
                throw new BadImageException(source, $"pairs an A of {first.Width}×{first.Height} with a "
                    + $"B of {second!.Width}×{second.Height}, which preprocess {_options.Preprocess} "
                    + "does not bring to one size.");
            }
            target = ImageOps.Resize(target, height, width);
        }

        // Crop and flip in one copy; without a crop the window is the whole image.
        bool mirror = aug.Flip && !_options.NoFlip;
        int side = _options.CropSize;
        var (cropHeight, cropWidth) = _options.Crops ? (side, side) : (height, width);
        int top = AugmentParams.Offset(aug.CropY, height - cropHeight);
        int left = AugmentParams.Offset(aug.CropX, width - cropWidth);
        if (_options.Crops || mirror)
        {
            input = ImageOps.Crop(input, top, left, cropHeight, cropWidth, mirror);
            if (target is not null)
                target = ImageOps.Crop(target, top, left, cropHeight, cropWidth, mirror);
        }
        return new PairedImage(input, target, source);
    }

    private (int Height, int Width) TargetSize(int height, int width, string source)
    {
        int load = _options.LoadSize;
        int crop = _options.CropSize;
        // Scale-width keeps the aspect ratio: the new height is load × h / w, rounded.
        int scaledHeight = (int)Math.Round((double)load * height / width, MidpointRounding.AwayFromZero);
        var size = _options.Preprocess switch
        {
            PreprocessMode.ResizeAndCrop => (load, load),
            PreprocessMode.Crop => (height, width),
            PreprocessMode.ScaleWidth => RoundDown(Math.Max(scaledHeight, 1), load, source),
            PreprocessMode.ScaleWidthAndCrop => (Math.Max(scaledHeight, crop), load),
            PreprocessMode.None => RoundDown(height, width, source),
            _ => throw new InvalidOperationException($"Preprocess {_options.Preprocess} is not handled."),
        };
        if (_options.Crops && (size.Item1 < crop || size.Item2 < crop))
        {
            throw new BadImageException(source, $"is {width}×{height} (A or B alone), smaller than "
                + $"the {crop}×{crop} crop (CropSize) with preprocess {_options.Preprocess}.");
        }
        return size;
    }

    private (int Height, int Width) RoundDown(int height, int width, string source)
    {
        int multiple = _options.SizeMultiple;
        int h = height / multiple * multiple;
        int w = width / multiple * multiple;
        if (h == 0 || w == 0)
        {
            throw new BadImageException(source, $"is {width}×{height} (A or B alone), too small to "
                + $"round down to a multiple of {multiple} (SizeMultiple).");
        }
        return (h, w);
    }
}
