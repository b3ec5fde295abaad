using System.Globalization;
using System.Net;
using System.Text;
using BicycleGan.Data;
using BicycleGan.Evaluation;

namespace BicycleGan.Reports;

/// <summary>
/// Writes an evaluation as a readable page: <c>report.html</c> with every metric, its value and
/// its definition in a sentence, what was skipped and why, and a grid of the first inputs' images
/// (input, ground truth, encoded sample, random samples) saved as PNG files under <c>images/</c>.
/// </summary>
public static class EvaluationReport
{
    /// <summary>Random samples shown per row of the grid.</summary>
    public const int GridSamples = 6;

    /// <summary>
    /// Writes <c>report.html</c> and its images into <paramref name="folder"/> (created if
    /// needed) and returns the page's path.
    /// </summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="folder">The output folder.</param>
    /// <param name="context">Lines shown under the title, e.g. model → run folder.</param>
    public static string Write(EvaluationResult result, string folder,
        IReadOnlyDictionary<string, string?> context)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(context);
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">");
        html.AppendLine("<title>BicycleGAN evaluation</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
            + "vertical-align:top}td.v{text-align:right;font-family:monospace}"
            + "img{image-rendering:pixelated;width:96px;height:96px}</style>\n</head>\n<body>");
        html.AppendLine("<h1>BicycleGAN evaluation</h1>");
        WriteSettings(html, result, context);
        WriteMetrics(html, result);
        WriteSkipped(html, result);
        WriteGrid(html, result, folder);
        html.AppendLine("</body>\n</html>");
        string path = Path.Combine(folder, "report.html");
        File.WriteAllText(path, html.ToString());
        return path;
    }

    private static void WriteSettings(StringBuilder html, EvaluationResult result,
        IReadOnlyDictionary<string, string?> context)
    {
        html.AppendLine("<ul>");
        foreach (var (key, value) in context)
            html.AppendLine($"<li>{Encode(key)}: {Encode(value ?? "none")}</li>");
        var o = result.Options;
        html.AppendLine($"<li>{result.Inputs} inputs, {o.Samples} random samples each, "
            + $"seed {o.Seed}; pixel metrics on images scaled to [0, 1]</li>\n</ul>");
    }

    private static void WriteMetrics(StringBuilder html, EvaluationResult r)
    {
        html.AppendLine("<h2>Metrics</h2>\n<table>\n"
            + "<tr><th>metric</th><th>value</th><th>definition</th></tr>");
        Row(html, "Diversity, L1", r.DiversityL1, MetricDefinitions.DiversityL1);
        string version = r.LpipsVersion == LpipsVersion.V0_0 ? "v0.0" : "v0.1";
        Row(html, $"Diversity, LPIPS {(r.DiversityLpips is null ? "" : version)}", r.DiversityLpips,
            MetricDefinitions.DiversityLpips);
        Row(html, "Reconstruction, L1", r.ReconstructionL1, MetricDefinitions.ReconstructionL1);
        Row(html, "Reconstruction, PSNR (dB)", r.ReconstructionPsnr, MetricDefinitions.ReconstructionPsnr);
        Row(html, "Reconstruction, SSIM", r.ReconstructionSsim, MetricDefinitions.ReconstructionSsim);
        Row(html, "Latent recovery, L1", r.LatentRecoveryL1, MetricDefinitions.LatentRecovery);
        if (r.Ndb is { } ndb)
        {
            Row(html, $"NDB (of {ndb.Bins} bins)", ndb.DifferentBins, MetricDefinitions.Ndb);
            Row(html, "NDB / k", ndb.DifferentShare, MetricDefinitions.NdbShare);
            Row(html, "JSD of bins", ndb.Jsd, MetricDefinitions.Jsd);
        }
        Row(html, "Mode coverage", r.ModeCoverage, MetricDefinitions.ModeCoverage);
        Row(html, "Mode precision", r.ModePrecision, MetricDefinitions.ModePrecision);
        html.AppendLine("</table>");
    }

    private static void Row(StringBuilder html, string name, double? value, string definition)
    {
        if (value is null) return;
        string text = value.Value.ToString("0.####", CultureInfo.InvariantCulture);
        html.AppendLine($"<tr><td>{Encode(name)}</td><td class=\"v\">{text}</td>"
            + $"<td>{Encode(definition)}</td></tr>");
    }

    private static void WriteSkipped(StringBuilder html, EvaluationResult result)
    {
        if (result.Skipped.Count == 0) return;
        html.AppendLine("<h2>Not measured</h2>\n<ul>");
        foreach (var (metric, reason) in result.Skipped)
            html.AppendLine($"<li>{Encode(metric)}: {Encode(reason)}</li>");
        html.AppendLine("</ul>");
    }

    private static void WriteGrid(StringBuilder html, EvaluationResult result, string folder)
    {
        if (result.Examples.Count == 0) return;
        html.AppendLine("<h2>Samples</h2>\n<table>");
        int shown = Math.Min(GridSamples, result.Options.Samples);
        var head = new[] { "input", "ground truth", "encoded" }
            .Concat(Enumerable.Range(1, shown).Select(k => $"random {k}"));
        html.AppendLine("<tr>" + string.Concat(head.Select(h => $"<th>{h}</th>")) + "</tr>");
        foreach (var set in result.Examples)
        {
            html.Append("<tr>");
            Cell(html, folder, $"{set.Index:D3}_input", set.Input);
            Cell(html, folder, $"{set.Index:D3}_ground_truth", set.GroundTruth);
            Cell(html, folder, $"{set.Index:D3}_encoded", set.Encoded);
            for (int k = 0; k < shown; k++)
                Cell(html, folder, $"{set.Index:D3}_random_{k + 1:D2}", set.Samples[k]);
            html.AppendLine("</tr>");
        }
        html.AppendLine("</table>");
    }

    private static void Cell(StringBuilder html, string folder, string name, HostImage? image)
    {
        if (image is null)
        {
            html.Append("<td>—</td>");
            return;
        }
        string file = $"images/{name}.png";
        ImageCodec.SavePng(image, Path.Combine(folder, file));
        html.Append($"<td><img src=\"{file}\" alt=\"{Encode(name)}\"></td>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
