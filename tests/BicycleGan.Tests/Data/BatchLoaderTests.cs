using BicycleGan.Data;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Data;

public sealed class BatchLoaderTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_same_seed_gives_byte_equal_batches_whatever_the_worker_count()
    {
        var dataset = SmallAlignedDataset(count: 6);
        using var threaded = new BatchLoader(dataset, batchSize: 2, seed: 11, training: true, workers: 2);
        using var inline = new BatchLoader(dataset, batchSize: 2, seed: 11, training: true, workers: 0);

        var first = threaded.Epoch(3).ToList();
        var second = inline.Epoch(3).ToList();

        Assert.Equal(3, first.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Indices, second[i].Indices);
            Assert.Equal(first[i].A, second[i].A);
            Assert.Equal(first[i].B!, second[i].B!);
        }
    }

    [Fact]
    public void Different_epochs_shuffle_and_augment_differently()
    {
        var dataset = SmallAlignedDataset(count: 6);
        using var loader = new BatchLoader(dataset, batchSize: 6, seed: 11, training: true);

        var epoch0 = loader.Epoch(0).Single();
        var epoch1 = loader.Epoch(1).Single();

        Assert.NotEqual(epoch0.Indices, epoch1.Indices);
        Assert.NotEqual(epoch0.A, epoch1.A);
        Assert.Equal(Enumerable.Range(0, 6), epoch0.Indices.Order());
    }

    [Fact]
    public void Evaluation_keeps_dataset_order_and_the_short_last_batch()
    {
        using var loader = new BatchLoader(new CountingDataset(5), batchSize: 2, seed: 1, training: false);

        var batches = loader.Epoch(0).ToList();

        Assert.Equal([0, 1, 2, 3, 4], batches.SelectMany(b => b.Indices));
        Assert.Equal([2, 2, 1], batches.Select(b => b.Count));
        Assert.Equal(3, loader.StepsPerEpoch);
        Assert.Equal(0, loader.DroppedPerEpoch);
    }

    [Fact]
    public void Evaluation_batches_hold_centre_crops_without_flips()
    {
        var dataset = SmallAlignedDataset(count: 2);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: false);

        var batch = loader.Epoch(0).Single();

        var expected = dataset.Load(0, AugmentParams.Evaluation).A;
        Assert.Equal(expected, batch.A.AsSpan(0, expected.Length).ToArray());
    }

    [Fact]
    public void Training_drops_the_short_last_batch_and_reports_how_many()
    {
        using var loader = new BatchLoader(new CountingDataset(7), batchSize: 2, seed: 1, training: true);

        var batches = loader.Epoch(0).ToList();

        Assert.All(batches, b => Assert.Equal(2, b.Count));
        Assert.Equal(3, batches.Count);
        Assert.Equal(3, loader.StepsPerEpoch);
        Assert.Equal(1, loader.DroppedPerEpoch);
    }

    [Fact]
    public void Training_refuses_an_odd_batch_size()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new BatchLoader(new CountingDataset(8), batchSize: 3, seed: 1, training: true));

        Assert.Contains("must be even", error.Message);
    }

    [Fact]
    public void Skipping_batches_resumes_exactly_where_a_full_epoch_would_be()
    {
        var dataset = new CountingDataset(12);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 5, training: true);

        var full = loader.Epoch(4).ToList();
        int loadsBefore = dataset.Loads;
        var resumed = loader.Epoch(4, skipBatches: 4).ToList();

        Assert.Equal(full.Skip(4).Select(b => b.A), resumed.Select(b => b.A));
        Assert.Equal(4, dataset.Loads - loadsBefore); // the skipped examples were never loaded
    }

    [Fact]
    public void Batches_become_tensors_of_shape_n_c_h_w_on_the_calling_thread()
    {
        var dataset = new CountingDataset(4, size: 3);
        using var loader = new BatchLoader(dataset, batchSize: 4, seed: 1, training: false);
        var batch = loader.Epoch(0).Single();

        using var scope = NewDisposeScope();
        var a = batch.ToTensorA();
        var b = batch.ToTensorB();

        Assert.Equal(new long[] { 4, 3, 3, 3 }, a.shape);
        Assert.Equal(ScalarType.Float32, b.dtype);
        Assert.Equal(batch.B![^1], b[3, 2, 2, 2].item<float>());
        batch.A[0] = 42f;
        Assert.NotEqual(42f, a[0, 0, 0, 0].item<float>()); // the tensor owns a copy
    }

    [Fact]
    public void Inputs_only_batches_have_no_b_and_say_so_when_asked_for_one()
    {
        string split = Directory.CreateDirectory(_root.Combine("test")).FullName;
        for (int i = 0; i < 3; i++)
            ImageCodec.SavePng(SyntheticPairs.Noise(8, 8, i), Path.Combine(split, $"{i}.png"));
        var options = new DataOptions
        {
            Layout = DatasetLayout.Single,
            Phase = "test",
            Preprocess = PreprocessMode.None,
        };
        var dataset = DatasetFactory.Open(_root.Path, options);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 0, training: false);

        var batches = loader.Epoch(0).ToList();

        Assert.Equal([2, 1], batches.Select(b => b.Count));
        Assert.All(batches, b => Assert.Null(b.B));
        var error = Assert.Throws<InvalidOperationException>(() => batches[0].ToTensorB());
        Assert.Contains("Layout Single", error.Message);
    }

    [Fact]
    public void Workers_stay_a_bounded_number_of_batches_ahead()
    {
        var dataset = new CountingDataset(200);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: true, workers: 2,
            prefetchBatches: 3);

        using var batches = loader.Epoch(0).GetEnumerator();
        Assert.True(batches.MoveNext());
        Thread.Sleep(200);

        // One batch taken, three prefetched; a worker may have claimed nothing more.
        Assert.InRange(dataset.Loads, 2, (1 + 3) * 2);
    }

    [Fact]
    public void Stopping_early_stops_the_workers()
    {
        var dataset = new CountingDataset(200, delayMs: 2);
        using var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: true);

        foreach (var _ in loader.Epoch(0)) break;
        int loads = dataset.Loads;
        Thread.Sleep(100);

        Assert.Equal(loads, dataset.Loads);
    }

    [Fact]
    public void Disposing_mid_epoch_stops_the_workers_and_ends_the_epoch_with_an_error()
    {
        var dataset = new CountingDataset(200, delayMs: 2);
        var loader = new BatchLoader(dataset, batchSize: 2, seed: 1, training: true);
        using var batches = loader.Epoch(0).GetEnumerator();
        Assert.True(batches.MoveNext());

        loader.Dispose();
        int loads = dataset.Loads;
        Thread.Sleep(100);

        Assert.Equal(loads, dataset.Loads);
        Assert.Throws<ObjectDisposedException>(() => batches.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(1));
    }

    [Fact]
    public void The_options_supply_workers_and_skip_bad()
    {
        var options = new DataOptions { Workers = 0, SkipBad = true };

        using var loader = BatchLoader.Create(new CountingDataset(4), options, batchSize: 2, seed: 1,
            training: true);

        Assert.Equal((0, true), (loader.Workers, loader.SkipBad));
    }

    [Fact]
    public void The_benchmark_reports_a_positive_rate_on_a_tiny_run()
    {
        double rate = LoaderBenchmark.Run(size: 16, images: 4, workers: 1, batchSize: 2, epochs: 1);

        Assert.True(rate > 0 && double.IsFinite(rate));
    }

    private AlignedDataset SmallAlignedDataset(int count)
    {
        SyntheticPairs.WriteAligned(_root.Path, "train", count, size: 20);
        return new AlignedDataset(_root.Path, new DataOptions { LoadSize = 20, CropSize = 16 });
    }
}
