using System.Text;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Sampling;

namespace BicycleGan.Reports;

/// <summary>
/// Writes a test page as the reference's test script does: for each input, in the dataset's
/// order, <c>DIR/images/input_000_input.png</c>, <c>input_000_ground_truth.png</c> (when B is
/// known), <c>input_000_encoded.png</c> (when E and B exist) and
/// <c>input_000_random_sample01.png</c> …, optionally an interpolation GIF and strip, and
/// <c>DIR/index.html</c> showing them row by row. Every file is replaced atomically and the index
/// is written last, so no file is ever half-written and the index never names a picture that is
/// not there yet. A crash or a cancellation keeps the previous index, though pictures of the same
/// names may already be the new ones; files of an earlier, larger page are left in place.
/// </summary>
public static class SamplePage
{
    /// <summary>Name of the page inside the output folder.</summary>
    public const string IndexName = "index.html";

    /// <summary>Folder of the page's pictures inside the output folder.</summary>
    public const string ImagesFolder = "images";

    private const string DefaultTitle = "BicycleGAN samples";

    /// <summary>
    /// Samples the first <see cref="SamplingOptions.Inputs"/> examples of
    /// <paramref name="dataset"/> with <paramref name="model"/> as <paramref name="options"/> say
    /// and writes the page into <paramref name="outDir"/> (created if missing).
    /// </summary>
    /// <param name="progress">Told the number of inputs done after each one.</param>
    /// <param name="cancellationToken">Checked between inputs; the index is then not written.
    /// </param>
    /// <exception cref="ZFileException">The options name a z-file that cannot be used.</exception>
    public static SamplePageSummary Write(BicycleGanModel model, IPairedDataset dataset,
        SamplingOptions options, string outDir, string? title = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        var sampler = new Sampler(model, options);
        var sets = sampler.SampleDataset(dataset);
        Func<SampleSet, IReadOnlyList<HostImage>>? animate = options.InterpolationKeys == 0 ? null
            : set => Interpolation.Frames(sampler, set.Index, set.Input, options.InterpolationKeys,
                options.InterpolationSteps);
        string description = Describe(options, sampler.Codes, hasEncoder: model.E is not null);
        return Write(sets, outDir, title ?? DefaultTitle, description, animate,
            options.FrameDelay, progress, cancellationToken);
    }

    /// <summary>
    /// Writes a page of sample sets already made (by <see cref="Sampler"/> or otherwise).
    /// </summary>
    /// <param name="description">A line under the title, e.g. how z was chosen.</param>
    /// <param name="animate">Makes the interpolation frames of a set; null for none.</param>
    /// <param name="frameDelay">Hundredths of a second per animation frame.</param>
    public static SamplePageSummary Write(IEnumerable<SampleSet> sets, string outDir, string title,
        string description, Func<SampleSet, IReadOnlyList<HostImage>>? animate = null,
        int frameDelay = 10, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        string images = Path.Combine(outDir, ImagesFolder);
        Directory.CreateDirectory(images);
        var rows = new List<PageRow>();
        int files = 0;
        foreach (var set in sets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = WriteImages(set, images, animate, frameDelay);
            files += row.Cells.Count + (row.Link is null ? 0 : 1);
            rows.Add(row);
            progress?.Report(rows.Count);
        }
        cancellationToken.ThrowIfCancellationRequested();
        string index = Path.Combine(outDir, IndexName);
        string html = SamplePageHtml.Build(title, description, rows);
        AtomicFile.WriteAllBytes(index, Encoding.UTF8.GetBytes(html));
        return new SamplePageSummary(index, rows.Count, files);
    }

    /// <summary>The file name of one picture: <c>input_007_random_sample03.png</c>.</summary>
    /// <param name="index">0-based input number, at most 999.</param>
    /// <param name="label">input, ground_truth, encoded, random_sampleNN, interpolation or
    /// interpolation_strip.</param>
    public static string FileName(int index, string label, string extension = ".png") =>
        $"{RowName(index)}_{label}{extension}";

    /// <summary>The name of input <paramref name="index"/>'s row: input_007.</summary>
    public static string RowName(int index) => $"input_{index:D3}";

    /// <summary>The label of random sample <paramref name="k"/> (from 1): random_sample01 ….
    /// </summary>
    public static string SampleLabel(int k) => $"random_sample{k:D2}";

    private static PageRow WriteImages(SampleSet set, string folder,
        Func<SampleSet, IReadOnlyList<HostImage>>? animate, int frameDelay)
    {
        var cells = new List<PageCell>();
        void Save(HostImage image, string column, string label)
        {
            string name = FileName(set.Index, label);
            AtomicFile.WriteAllBytes(Path.Combine(folder, name), ImageCodec.EncodePng(image));
            cells.Add(new PageCell(column, $"{ImagesFolder}/{name}", image.Width));
        }

        Save(set.Input, "input", "input");
        if (set.GroundTruth is not null) Save(set.GroundTruth, "ground truth", "ground_truth");
        if (set.Encoded is not null) Save(set.Encoded, "encoded", "encoded");
        for (int k = 0; k < set.Samples.Count; k++)
            Save(set.Samples[k], SampleLabel(k + 1), SampleLabel(k + 1));
        if (animate is null) return new PageRow(RowName(set.Index), set.Source, cells);

        var frames = animate(set);
        string gif = FileName(set.Index, "interpolation", ".gif");
        string strip = FileName(set.Index, "interpolation_strip");
        GifWriter.Save(frames, Path.Combine(folder, gif), frameDelay);
        Strip.Save(frames, Path.Combine(folder, strip));
        cells.Add(new PageCell("interpolation", $"{ImagesFolder}/{gif}", frames[0].Width));
        return new PageRow(RowName(set.Index), set.Source, cells, $"{ImagesFolder}/{strip}");
    }

    private static string Describe(SamplingOptions options, LatentCodes codes, bool hasEncoder)
    {
        string z = codes.File is not null ? $"codes from z-file '{codes.File}'"
            : codes.Sync ? $"random codes, seed {codes.Seed}, the same codes for every input (sync)"
            : $"random codes, seed {codes.Seed}, drawn per input";
        string animation = options.InterpolationKeys == 0 ? ""
            : $"; interpolation: slerp through {options.InterpolationKeys} codes, "
                + $"{options.InterpolationSteps} frames per segment";
        string encoded = !hasEncoder ? "none (the model has no encoder)"
            : options.Encode ? "z = μ of E(B), where B is known" : "off";
        return $"{options.Samples} random samples per input; z: {z}; "
            + $"encoded sample: {encoded}{animation}.";
    }
}
