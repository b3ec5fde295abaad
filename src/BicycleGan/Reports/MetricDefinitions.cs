namespace BicycleGan.Reports;

/// <summary>
/// Each evaluation metric defined in one sentence, shared by every report that shows it, so
/// the evaluation page and the ablation's EVALUATION.md can never define a number differently.
/// </summary>
public static class MetricDefinitions
{
    public const string DiversityL1 = "Mean absolute pixel difference between consecutive random "
        + "samples of one input (S − 1 pairs), averaged over inputs; higher is more diverse.";

    public const string DiversityLpips = "The paper's score: mean LPIPS (AlexNet) distance between "
        + "consecutive random samples, averaged over inputs; real images of maps→satellite score 0.262.";

    public const string ReconstructionL1 = "Mean absolute difference between the encoded sample "
        + "G(A, μ(E(B))) and the ground truth B; lower is better.";

    public const string ReconstructionPsnr = "10·log₁₀(1 / MSE) of the encoded sample against B, "
        + "capped at 100 dB; higher is better.";

    public const string ReconstructionSsim = "Structural similarity of the encoded sample and B "
        + "(11 × 11 Gaussian window, σ 1.5, per channel); 1 is identical.";

    public const string LatentRecovery = "Mean |μ(E(G(A, z))) − z| over the random codes: how much "
        + "of z the encoder reads back from a sample; 0 is perfect, ~0.8 is none.";

    public const string Ndb = "Number of k-means bins of the ground truths whose share of generated "
        + "samples differs significantly (two-proportion z-test, α 0.05); lower is better.";

    public const string NdbShare = "The same as a share of the bins.";

    public const string Jsd = "Jensen-Shannon divergence (nats) between the real and generated bin "
        + "shares; 0 when they match.";

    public const string ModeCoverage = "Distinct valid shapes fills among one input's samples over "
        + "the 12 possible, averaged over inputs; at most S / 12.";

    public const string ModePrecision = "Share of samples whose fill is one of the 12 known modes "
        + "rather than an invalid mixture.";
}
