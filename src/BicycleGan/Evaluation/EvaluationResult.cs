using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BicycleGan.Options;
using BicycleGan.Sampling;

namespace BicycleGan.Evaluation;

/// <summary>
/// Every number of one evaluation, averaged over the inputs, with the settings that made it.
/// A metric that could not be measured is null and its reason is in <see cref="Skipped"/>.
/// Pixel metrics are on [0, 1] images.
/// </summary>
public sealed class EvaluationResult
{
    /// <summary>The protocol followed.</summary>
    public required EvaluationOptions Options { get; init; }

    /// <summary>Inputs actually evaluated (fewer than asked when the split is smaller).</summary>
    public required int Inputs { get; init; }

    /// <summary>Diversity in L1: mean |x − y| between consecutive random samples.</summary>
    public required double DiversityL1 { get; init; }

    /// <summary>Diversity in LPIPS between consecutive random samples (the paper's number).</summary>
    public double? DiversityLpips { get; init; }

    /// <summary>The LPIPS release used, or null without LPIPS.</summary>
    public LpipsVersion? LpipsVersion { get; init; }

    /// <summary>The LPIPS weight files, as given; empty without LPIPS.</summary>
    public IReadOnlyList<string> LpipsFiles { get; init; } = [];

    /// <summary>Mean L1 of the encoded sample G(A, μ(E(B))) against B.</summary>
    public double? ReconstructionL1 { get; init; }

    /// <summary>Mean PSNR in dB of the encoded sample against B (each capped at 100 dB).</summary>
    public double? ReconstructionPsnr { get; init; }

    /// <summary>Mean SSIM of the encoded sample against B.</summary>
    public double? ReconstructionSsim { get; init; }

    /// <summary>Mean |μ(E(G(A, z))) − z| over the random codes.</summary>
    public double? LatentRecoveryL1 { get; init; }

    /// <summary>NDB and JSD of the random samples against the ground truths' k-means bins.</summary>
    public NdbResult? Ndb { get; init; }

    /// <summary>Mean share of the 12 shapes modes each input's samples reach.</summary>
    public double? ModeCoverage { get; init; }

    /// <summary>Share of samples whose fill is a valid shapes mode.</summary>
    public double? ModePrecision { get; init; }

    /// <summary>Metric name → why it was not measured, as a sentence.</summary>
    public required IReadOnlyDictionary<string, string> Skipped { get; init; }

    /// <summary>The first inputs' samples, for a grid of examples (managed images only).</summary>
    public required IReadOnlyList<SampleSet> Examples { get; init; }

    /// <summary>
    /// The result as the JSON of <c>metrics.json</c>: <c>settings</c> (with the seed and the
    /// given <paramref name="context"/>, e.g. model and data), one object per measured metric,
    /// and <c>skipped</c>. Deterministic: no clock, shortest round-trip numbers.
    /// </summary>
    public string ToJson(IReadOnlyDictionary<string, string?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = new JsonObject();
        foreach (var (key, value) in context) settings[key] = value;
        settings["seed"] = Options.Seed;
        settings["samplesPerInput"] = Options.Samples;
        settings["inputsRequested"] = Options.Inputs;
        settings["inputs"] = Inputs;
        settings["ndbBinsRequested"] = Options.NdbBins;
        settings["ndbSide"] = Options.NdbSide;
        settings["pixelRange"] = "[0, 1]";
        if (LpipsFiles.Count > 0)
        {
            var files = LpipsFiles.Select(f => (JsonNode?)JsonValue.Create(f));
            settings["lpipsWeights"] = new JsonArray([.. files]);
        }
        var root = new JsonObject { ["settings"] = settings };
        var diversity = new JsonObject { ["l1"] = DiversityL1 };
        if (DiversityLpips is { } lpips)
        {
            diversity["lpips"] = lpips;
            bool first = LpipsVersion == Evaluation.LpipsVersion.V0_0;
            diversity["lpipsVersion"] = first ? "0.0" : "0.1";
        }
        root["diversity"] = diversity;
        if (ReconstructionL1 is { } l1)
        {
            root["reconstruction"] = new JsonObject
            {
                ["l1"] = l1, ["psnr"] = ReconstructionPsnr, ["ssim"] = ReconstructionSsim,
            };
        }
        if (LatentRecoveryL1 is { } latent)
            root["latentRecovery"] = new JsonObject { ["l1"] = latent };
        if (Ndb is { } ndb)
        {
            root["ndb"] = new JsonObject
            {
                ["bins"] = ndb.Bins, ["different"] = ndb.DifferentBins,
                ["differentShare"] = ndb.DifferentShare, ["jsd"] = ndb.Jsd,
            };
        }
        if (ModeCoverage is { } coverage)
        {
            root["modes"] = new JsonObject
            {
                ["coverage"] = coverage, ["precision"] = ModePrecision,
            };
        }
        var skipped = new JsonObject();
        foreach (var (key, reason) in Skipped) skipped[key] = reason;
        root["skipped"] = skipped;
        // The file is read as data, never embedded in HTML: '&' in a data URL may stay '&'.
        var json = new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return root.ToJsonString(json) + "\n";
    }
}
