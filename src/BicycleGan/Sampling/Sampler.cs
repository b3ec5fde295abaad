using BicycleGan.Data;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Sampling;

/// <summary>
/// Turns inputs into the images of a test page: for input A, one G call makes the encoded sample
/// G(A, μ of E(B)) and the random samples G(A, z_k) together, A tiled once per code. Runs the
/// networks in evaluation mode (restoring their previous mode afterwards), without gradients and
/// inside one dispose scope per batch, so only managed images leave it. Deterministic: the same
/// model, options and input index give the same images (at a fixed libtorch thread count, which
/// moves the low bits of convolutions).
/// </summary>
public sealed class Sampler
{
    private readonly BicycleGanModel _model;
    private readonly SamplingOptions _options;

    /// <summary>A sampler whose codes follow <paramref name="options"/> (seed, sync, z-file).
    /// </summary>
    /// <exception cref="ZFileException">The options name a z-file that cannot be used.</exception>
    public Sampler(BicycleGanModel model, SamplingOptions options)
        : this(model, options, CodesFor(model, options))
    {
    }

    /// <summary>A sampler with codes from <paramref name="codes"/>; options.Seed, Sync and ZFile
    /// are not consulted.</summary>
    public Sampler(BicycleGanModel model, SamplingOptions options, LatentCodes codes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(codes);
        _model = model;
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        Codes = codes;
    }

    /// <summary>The source of the random-sample codes.</summary>
    public LatentCodes Codes { get; }

    /// <summary>Length of the model's codes.</summary>
    public int Nz => _model.Options.Nz;

    /// <summary>
    /// Samples the first <see cref="SamplingOptions.Inputs"/> examples of
    /// <paramref name="dataset"/> in its index order (sorted by path for folders), centre-cropped
    /// and unflipped, one <see cref="SampleSet"/> at a time.
    /// </summary>
    public IEnumerable<SampleSet> SampleDataset(IPairedDataset dataset)
    {
        // Checked here, not in the iterator, so a null fails at the call rather than later.
        ArgumentNullException.ThrowIfNull(dataset);
        return SampleEach(dataset);
    }

    private IEnumerable<SampleSet> SampleEach(IPairedDataset dataset)
    {
        int count = Math.Min(dataset.Count, _options.Inputs);
        for (int i = 0; i < count; i++)
        {
            var pair = dataset.Load(i, AugmentParams.Evaluation);
            var a = new HostImage(pair.A, pair.ChannelsA, pair.Height, pair.Width);
            var b = pair.B is null ? null
                : new HostImage(pair.B, pair.ChannelsB, pair.Height, pair.Width);
            yield return Sample(i, a, b, pair.Source);
        }
    }

    /// <summary>
    /// The encoded sample (when <paramref name="b"/> is given, the model has E and
    /// <see cref="SamplingOptions.Encode"/> is on) and <see cref="SamplingOptions.Samples"/>
    /// random samples of input <paramref name="index"/>.
    /// </summary>
    /// <param name="index">0-based input number; random codes are drawn per index unless
    /// synced.</param>
    /// <param name="a">InputChannels × H × W in [-1, 1], sides multiples of the model's
    /// SizeMultiple.</param>
    /// <param name="b">OutputChannels × H × W in [-1, 1], or null when unknown.</param>
    /// <param name="source">The input's name, kept for the page.</param>
    public SampleSet Sample(int index, HostImage a, HostImage? b = null, string? source = null)
    {
        CheckInput(a, b, source);
        float[][] codes = Codes.For(index, _options.Samples, Nz);
        float[]? mu = b is not null && _options.Encode ? EncodeMean(b) : null;
        float[][] all = mu is null ? codes : [mu, .. codes];
        var images = Generate(a, all);
        int first = mu is null ? 0 : 1;
        return new SampleSet(index, source ?? $"input {index}", a, b, mu is null ? null : images[0],
            mu, images.Skip(first).ToList(), codes);
    }

    /// <summary>
    /// μ of E(<paramref name="b"/>), length nz: the point estimate the reference uses at test
    /// time, so it does not depend on any seed. Null when the model has no encoder.
    /// </summary>
    public float[]? EncodeMean(HostImage b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (_model.E is null) return null;
        using var mode = new EvaluationMode(_model);
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var (mu, _) = _model.E.call(ToBatch(b));
        return mu.data<float>().ToArray();
    }

    /// <summary>
    /// G(A, z) for every code, in order, in batches of at most
    /// <see cref="SamplingOptions.MaxBatch"/>: A is tiled once per code of a batch.
    /// </summary>
    /// <param name="a">InputChannels × H × W in [-1, 1].</param>
    /// <param name="codes">Codes of length nz.</param>
    /// <returns>OutputChannels × H × W images in [-1, 1].</returns>
    public IReadOnlyList<HostImage> Generate(HostImage a, IReadOnlyList<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        CheckInput(a, null, null);
        if (codes.Any(c => c.Length != Nz))
        {
            throw new ArgumentException(
                $"Every code must have the model's length nz = {Nz}.", nameof(codes));
        }
        using var mode = new EvaluationMode(_model);
        var images = new List<HostImage>(codes.Count);
        for (int start = 0; start < codes.Count; start += _options.MaxBatch)
        {
            var batch = codes.Skip(start).Take(_options.MaxBatch).ToArray();
            images.AddRange(GenerateBatch(a, batch));
        }
        return images;
    }

    private List<HostImage> GenerateBatch(HostImage a, float[][] codes)
    {
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        int n = codes.Length;
        var realA = ToBatch(a).expand(n, -1, -1, -1);
        var z = tensor(codes.SelectMany(c => c).ToArray(), [n, Nz]);
        var fakeB = _model.G.call(realA, z).contiguous();
        float[] flat = fakeB.data<float>().ToArray();
        int c = (int)fakeB.shape[1], h = (int)fakeB.shape[2], w = (int)fakeB.shape[3];
        int size = c * h * w;
        var images = new List<HostImage>(n);
        for (int k = 0; k < n; k++)
            images.Add(new HostImage(flat[(k * size)..((k + 1) * size)], c, h, w));
        return images;
    }

    private static LatentCodes CodesFor(BicycleGanModel model, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LatentCodes.From(options, model.Options.Nz);
    }

    private static Tensor ToBatch(HostImage image) =>
        tensor(image.Data, [1, image.Channels, image.Height, image.Width]);

    private void CheckInput(HostImage a, HostImage? b, string? source)
    {
        ArgumentNullException.ThrowIfNull(a);
        var o = _model.Options;
        string name = source is null ? "The input" : $"Input '{source}'";
        if (a.Channels != o.InputChannels)
        {
            throw new ArgumentException($"{name} has {a.Channels} channels, but the model takes "
                + $"{o.InputChannels} (input-nc).");
        }
        if (a.Height % o.SizeMultiple != 0 || a.Width % o.SizeMultiple != 0)
        {
            throw new ArgumentException($"{name} is {a.Width}×{a.Height} px, but the generator "
                + $"needs sides that are multiples of {o.SizeMultiple}; crop or resize it "
                + "(crop-size).");
        }
        if (b is not null && b.Channels != o.OutputChannels)
        {
            string of = source is null ? "the input" : $"input '{source}'";
            throw new ArgumentException($"The ground truth of {of} has "
                + $"{b.Channels} channels, but the model makes {o.OutputChannels} (output-nc).");
        }
    }
}
