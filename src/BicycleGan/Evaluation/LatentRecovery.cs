using BicycleGan.Data;
using BicycleGan.Sampling;
using static TorchSharp.torch;

namespace BicycleGan.Evaluation;

/// <summary>
/// How well the encoder recovers the code that made a sample, the cLR-GAN cycle z → B̂ → ẑ:
/// mean |μ(E(G(A, z))) − z| over every component of every random code (μ, not a draw, so the
/// score has no noise of its own). 0 means the code is fully recovered; codes drawn from N(0, I)
/// and ignored entirely give about √(2/π) ≈ 0.80.
/// </summary>
public static class LatentRecovery
{
    /// <summary>
    /// Encodes <paramref name="samples"/> (made from <paramref name="codes"/>, in order) with
    /// the model's E in evaluation mode and returns the mean absolute error of the means.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no encoder.</exception>
    public static double Measure(BicycleGanModel model, IReadOnlyList<HostImage> samples,
        IReadOnlyList<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(codes);
        if (model.E is null)
        {
            throw new InvalidOperationException(
                "Latent recovery needs an encoder; this model has none.");
        }
        if (samples.Count != codes.Count || samples.Count == 0)
        {
            throw new ArgumentException($"Latent recovery needs one code per sample and at least "
                + $"one sample, not {samples.Count} samples and {codes.Count} codes.");
        }
        using var mode = new EvaluationMode(model);
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var first = samples[0];
        float[] flat = [.. samples.SelectMany(s => s.Data)];
        var fakeB = tensor(flat, [samples.Count, first.Channels, first.Height, first.Width]);
        var (mu, _) = model.E.call(fakeB);
        var z = tensor(codes.SelectMany(c => c).ToArray(), [codes.Count, codes[0].Length]);
        return (mu - z).abs().mean().to(ScalarType.Float64).item<double>();
    }

    /// <summary>Mean |recovered − code| over all components: the same measure, on given codes.</summary>
    public static double MeanAbsoluteError(IReadOnlyList<float[]> recovered,
        IReadOnlyList<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(recovered);
        ArgumentNullException.ThrowIfNull(codes);
        if (recovered.Count != codes.Count || recovered.Count == 0)
        {
            throw new ArgumentException(
                "Latent recovery compares as many recovered codes as codes, at least one.");
        }
        double sum = 0;
        long count = 0;
        for (int k = 0; k < codes.Count; k++)
        {
            if (recovered[k].Length != codes[k].Length)
            {
                throw new ArgumentException(
                    $"Recovered code {k} has length {recovered[k].Length}, not {codes[k].Length}.");
            }
            for (int i = 0; i < codes[k].Length; i++)
                sum += Math.Abs((double)recovered[k][i] - codes[k][i]);
            count += codes[k].Length;
        }
        return sum / count;
    }
}
