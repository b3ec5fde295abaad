using BicycleGan.Data;
using BicycleGan.Options;

namespace BicycleGan.Tests.Data;

public sealed class PairTransformTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_and_b_receive_the_same_resize_crop_and_flip()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 3, size: 48);
        var options = new DataOptions { LoadSize = 40, CropSize = 32 };
        var dataset = new AlignedDataset(_root.Path, options);

        for (int epoch = 0; epoch < 4; epoch++)
        {
            for (int i = 0; i < dataset.Count; i++)
            {
                var pair = dataset.Load(i, AugmentParams.ForExample(seed: 3, epoch, i));

                // B was written as 255 − A, which survives resize, crop and flip only if both
                // sides were treated identically (up to float rounding of the byte mapping).
                float worst = pair.A.Zip(pair.B!, (a, b) => Math.Abs(a + b)).Max();
                Assert.True(worst < 1e-5f, $"Example {i}, epoch {epoch}: B differs from −A by {worst}.");
            }
        }
    }

    [Fact]
    public void Evaluation_takes_the_centre_crop_without_flipping()
    {
        SyntheticPairs.WriteAligned(_root.Path, "test", count: 1, size: 40);
        var options = new DataOptions { Phase = "test", Preprocess = PreprocessMode.Crop, CropSize = 32 };
        var dataset = new AlignedDataset(_root.Path, options);
        var stored = ImageOps.SplitHalves(ImageCodec.Decode(dataset.Describe(0))).Left;

        var pair = dataset.Load(0, AugmentParams.Evaluation);

        Assert.Equal(ImageOps.Crop(stored, 4, 4, 32, 32).Data, pair.A);
    }

    [Fact]
    public void Training_crops_move_and_flips_mirror()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 40);
        var dataset = new AlignedDataset(_root.Path,
            new DataOptions { Preprocess = PreprocessMode.Crop, CropSize = 32 });
        var stored = ImageOps.SplitHalves(ImageCodec.Decode(dataset.Describe(0))).Left;

        var corner = dataset.Load(0, new AugmentParams(0, 0.999, Flip: true));

        var expected = ImageOps.FlipHorizontal(ImageOps.Crop(stored, 8, 0, 32, 32));
        Assert.Equal(expected.Data, corner.A);
    }

    [Fact]
    public void No_flip_keeps_training_images_unmirrored()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 32);
        var options = new DataOptions { Preprocess = PreprocessMode.None, NoFlip = true };
        var dataset = new AlignedDataset(_root.Path, options);

        var flipped = dataset.Load(0, new AugmentParams(0.5, 0.5, Flip: true));

        Assert.Equal(dataset.Load(0, AugmentParams.Evaluation).A, flipped.A);
    }

    [Fact]
    public void Resize_and_crop_outputs_crop_size_squares_within_minus_one_to_one()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 30);
        var dataset = new AlignedDataset(_root.Path, new DataOptions { LoadSize = 36, CropSize = 32 });

        var pair = dataset.Load(0, AugmentParams.ForExample(1, 1, 0));

        Assert.Equal((32, 32, 3, 3), (pair.Height, pair.Width, pair.ChannelsA, pair.ChannelsB));
        Assert.All(pair.A, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Scale_width_keeps_the_aspect_ratio_and_rounds_to_the_size_multiple()
    {
        var wide = SyntheticPairs.Noise(20, 30, seed: 2);
        Directory.CreateDirectory(_root.Combine("train"));
        ImageCodec.SavePng(ImageOps.Join(wide, wide), _root.Combine("train", "w.png"));
        var options = new DataOptions
        {
            Preprocess = PreprocessMode.ScaleWidth,
            LoadSize = 45,
            SizeMultiple = 8,
        };

        var pair = new AlignedDataset(_root.Path, options).Load(0, AugmentParams.Evaluation);

        // 45 wide keeps 2:3, so 30 high; both sides then round down to multiples of 8.
        Assert.Equal((24, 40), (pair.Height, pair.Width));
    }

    [Fact]
    public void Preprocess_none_rounds_sides_down_to_the_size_multiple()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 37);
        var options = new DataOptions { Preprocess = PreprocessMode.None, SizeMultiple = 4 };

        var pair = new AlignedDataset(_root.Path, options).Load(0, AugmentParams.Evaluation);

        Assert.Equal((36, 36), (pair.Height, pair.Width));
    }

    [Fact]
    public void Direction_b_to_a_swaps_input_and_target()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 32);
        var forward = new DataOptions { Preprocess = PreprocessMode.None };
        var backward = forward with { Direction = TranslationDirection.BtoA };

        var ab = new AlignedDataset(_root.Path, forward).Load(0, AugmentParams.Evaluation);
        var ba = new AlignedDataset(_root.Path, backward).Load(0, AugmentParams.Evaluation);

        Assert.Equal(ab.A, ba.B!);
        Assert.Equal(ab.B!, ba.A);
    }

    [Fact]
    public void Channel_options_convert_each_side_separately()
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count: 1, size: 32);
        var options = new DataOptions { Preprocess = PreprocessMode.None, InputChannels = 1 };

        var pair = new AlignedDataset(_root.Path, options).Load(0, AugmentParams.Evaluation);

        Assert.Equal((1, 3), (pair.ChannelsA, pair.ChannelsB));
        Assert.Equal(32 * 32, pair.A.Length);
    }

    [Fact]
    public void Augmentation_is_a_pure_function_of_seed_epoch_and_index()
    {
        var first = AugmentParams.ForExample(seed: 7, epoch: 2, index: 5);

        Assert.Equal(first, AugmentParams.ForExample(7, 2, 5));
        Assert.NotEqual(first, AugmentParams.ForExample(7, 3, 5));
        Assert.NotEqual(first, AugmentParams.ForExample(7, 2, 6));
        Assert.NotEqual(first, AugmentParams.ForExample(8, 2, 5));
    }

    [Fact]
    public void Random_flips_happen_about_half_the_time()
    {
        int flips = Enumerable.Range(0, 1000).Count(i => AugmentParams.ForExample(1, 0, i).Flip);

        Assert.InRange(flips, 430, 570);
    }

    [Fact]
    public void Resizing_a_flat_image_keeps_it_flat()
    {
        var flat = new HostImage(Enumerable.Repeat(0.25f, 3 * 30 * 50).ToArray(), 3, 30, 50);

        var up = ImageOps.Resize(flat, 47, 61);
        var down = ImageOps.Resize(flat, 7, 9, ResampleFilter.Bilinear);

        Assert.All(up.Data, v => Assert.Equal(0.25f, v, 1e-5f));
        Assert.All(down.Data, v => Assert.Equal(0.25f, v, 1e-5f));
    }
}
