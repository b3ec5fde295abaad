using BicycleGan.Options;
using BicycleGan.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Sampling;

public sealed class SamplerTests
{
    private static readonly SamplingOptions Five = new() { Samples = 5 };

    private static byte[][] SamplePngs(BicycleGanModel model, SamplingOptions options, int index = 0)
    {
        var set = new Sampler(model, options).Sample(index, SamplingFixtures.Image(index, 1),
            SamplingFixtures.Image(index + 100, 3));
        return SamplingFixtures.Png(set.Samples);
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_samples()
    {
        using var model = SamplingFixtures.Model();
        var first = SamplePngs(model, Five with { Seed = 7 });
        var second = SamplePngs(model, Five with { Seed = 7 });
        Assert.Equal(5, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seeds_give_different_samples()
    {
        using var model = SamplingFixtures.Model();
        var first = SamplePngs(model, Five with { Seed = 7 });
        var second = SamplePngs(model, Five with { Seed = 8 });
        for (int k = 0; k < 5; k++) Assert.NotEqual(first[k], second[k]);
    }

    [Fact]
    public void Random_samples_of_one_input_differ_from_each_other()
    {
        using var model = SamplingFixtures.Model();
        var pngs = SamplePngs(model, Five);
        Assert.Equal(5, pngs.Distinct(new BytesComparer()).Count());
    }

    [Fact]
    public void Sync_gives_every_input_the_same_codes_and_otherwise_each_its_own()
    {
        using var model = SamplingFixtures.Model();
        var synced = new Sampler(model, Five with { Sync = true })
            .SampleDataset(new MemoryDataset(3)).ToList();
        var own = new Sampler(model, Five).SampleDataset(new MemoryDataset(3)).ToList();
        Assert.Equal(synced[0].Codes, synced[1].Codes);
        Assert.Equal(synced[0].Codes, synced[2].Codes);
        Assert.NotEqual(own[0].Codes, own[1].Codes);
        // The same code on different inputs must still make different pictures.
        Assert.NotEqual(ImagePng(synced[0].Samples[0]), ImagePng(synced[1].Samples[0]));
    }

    [Fact]
    public void The_encoded_sample_uses_mu_and_does_not_depend_on_the_seed()
    {
        using var model = SamplingFixtures.Model();
        var b = SamplingFixtures.Image(100, 3);
        var first = new Sampler(model, Five with { Seed = 1 }).Sample(0, SamplingFixtures.Image(0, 1), b);
        var second = new Sampler(model, Five with { Seed = 2 }).Sample(0, SamplingFixtures.Image(0, 1), b);
        float[] mu = new Sampler(model, Five).EncodeMean(b)!;
        var fromMu = new Sampler(model, Five).Generate(SamplingFixtures.Image(0, 1), [mu]);
        Assert.Equal(mu, first.EncodedCode);
        Assert.Equal(ImagePng(first.Encoded!), ImagePng(second.Encoded!));
        Assert.Equal(ImagePng(fromMu[0]), ImagePng(first.Encoded!));
    }

    [Fact]
    public void Pix2pix_noise_has_no_encoder_so_no_encoded_sample_and_no_crash()
    {
        using var model = SamplingFixtures.Model(ModelVariant.Pix2PixNoise);
        var set = new Sampler(model, Five)
            .Sample(0, SamplingFixtures.Image(0, 1), SamplingFixtures.Image(1, 3));
        Assert.Null(model.E);
        Assert.Null(set.Encoded);
        Assert.Null(set.EncodedCode);
        Assert.Equal(5, set.Samples.Count);
    }

    [Fact]
    public void An_input_without_ground_truth_gets_random_samples_only()
    {
        using var model = SamplingFixtures.Model();
        var set = new Sampler(model, Five).SampleDataset(new MemoryDataset(1, withTargets: false)).Single();
        Assert.Null(set.GroundTruth);
        Assert.Null(set.Encoded);
        Assert.Equal(5, set.Samples.Count);
    }

    [Fact]
    public void Encode_off_skips_the_encoded_sample_even_with_ground_truth()
    {
        using var model = SamplingFixtures.Model();
        var set = new Sampler(model, Five with { Encode = false })
            .SampleDataset(new MemoryDataset(1)).Single();
        Assert.NotNull(set.GroundTruth);
        Assert.Null(set.Encoded);
    }

    [Fact]
    public void Splitting_the_codes_into_smaller_batches_changes_the_images_only_at_float_rounding()
    {
        // The inner U-Net levels multiply the whole batch at once (Conv4), so the last float
        // bits may depend on the batch size.
        using var model = SamplingFixtures.Model();
        var options = Five with { Samples = 7, MaxBatch = 16 };
        var whole = new Sampler(model, options).SampleDataset(new MemoryDataset(1)).Single().Samples;
        var split = new Sampler(model, options with { MaxBatch = 3 }).SampleDataset(new MemoryDataset(1))
            .Single().Samples;
        Assert.Equal(whole.Count, split.Count);
        double worst = whole.Zip(split)
            .Max(p => p.First.Data.Zip(p.Second.Data).Max(v => Math.Abs(v.First - v.Second)));
        Assert.InRange(worst, 0, 1e-5);
    }

    [Fact]
    public void Sampling_a_dataset_follows_its_order_and_stops_at_the_requested_number_of_inputs()
    {
        using var model = SamplingFixtures.Model();
        var sets = new Sampler(model, Five with { Inputs = 4 })
            .SampleDataset(new MemoryDataset(10)).ToList();
        Assert.Equal([0, 1, 2, 3], sets.Select(s => s.Index));
        Assert.Equal("memory/002.png", sets[2].Source);
    }

    [Fact]
    public void Sampling_leaves_the_global_generator_and_the_training_mode_as_they_were()
    {
        using var model = SamplingFixtures.Model();
        model.Train(true);
        random.manual_seed(42);
        new Sampler(model, Five).SampleDataset(new MemoryDataset(2)).ToList();
        float after = randn(1).item<float>();
        random.manual_seed(42);
        float untouched = randn(1).item<float>();
        Assert.Equal(untouched, after);
        Assert.True(model.G.training);
        Assert.True(model.E!.training);
    }

    [Fact]
    public void An_input_with_the_wrong_channel_count_is_refused_by_name()
    {
        using var model = SamplingFixtures.Model();
        var sampler = new Sampler(model, Five);
        var rgb = SamplingFixtures.Image(0, 3);
        var e = Assert.Throws<ArgumentException>(() => sampler.Sample(0, rgb, null, "x.png"));
        Assert.Contains("'x.png' has 3 channels", e.Message);
    }

    [Fact]
    public void The_native_tensor_count_is_the_same_after_3_and_after_30_inputs()
    {
        using var model = SamplingFixtures.Model();
        var options = Five with { Samples = 3, Inputs = 30 };
        long Live(int inputs)
        {
            foreach (var _ in new Sampler(model, options with { Inputs = inputs })
                .SampleDataset(new MemoryDataset(inputs))) { }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        }
        long afterThree = Live(3);
        long afterThirty = Live(30);
        Assert.Equal(afterThree, afterThirty);
    }

    private static byte[] ImagePng(BicycleGan.Data.HostImage image) => SamplingFixtures.Png([image])[0];

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
