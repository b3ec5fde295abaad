using BicycleGan.Options;

namespace BicycleGan.Tests.Data;

public sealed class DataOptionsTests
{
    [Fact]
    public void Defaults_follow_pix2pix_and_are_valid()
    {
        var options = new DataOptions().Validate();

        Assert.Equal((286, 256, 2, false, false), (options.LoadSize, options.CropSize, options.Workers,
            options.NoFlip, options.SkipBad));
        Assert.Equal(PreprocessMode.ResizeAndCrop, options.Preprocess);
        Assert.Equal(64L * 1024 * 1024, options.MaxPixels);
    }

    public static TheoryData<DataOptions, string> InvalidOptions() => new()
    {
        { new DataOptions { InputChannels = 2 }, nameof(DataOptions.InputChannels) },
        { new DataOptions { OutputChannels = 4 }, nameof(DataOptions.OutputChannels) },
        { new DataOptions { LoadSize = 0 }, nameof(DataOptions.LoadSize) },
        { new DataOptions { LoadSize = 128, CropSize = 256 }, nameof(DataOptions.CropSize) },
        {
            new DataOptions { Preprocess = PreprocessMode.ScaleWidthAndCrop, LoadSize = 128 },
            nameof(DataOptions.CropSize)
        },
        { new DataOptions { CropSize = 250, SizeMultiple = 8 }, nameof(DataOptions.CropSize) },
        { new DataOptions { SizeMultiple = 0 }, nameof(DataOptions.SizeMultiple) },
        { new DataOptions { Phase = "../etc" }, nameof(DataOptions.Phase) },
        { new DataOptions { Phase = " " }, nameof(DataOptions.Phase) },
        { new DataOptions { Workers = -1 }, nameof(DataOptions.Workers) },
        { new DataOptions { MaxPixels = 0 }, nameof(DataOptions.MaxPixels) },
        { new DataOptions { Preprocess = (PreprocessMode)42 }, nameof(DataOptions.Preprocess) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_names_the_option_that_is_wrong(DataOptions options, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        Assert.Equal(name, error.ParamName);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Crop_size_may_exceed_load_size_when_the_mode_does_not_resize_to_it()
    {
        var options = new DataOptions { Preprocess = PreprocessMode.Crop, LoadSize = 64, CropSize = 128 };

        Assert.Same(options, options.Validate());
    }
}
