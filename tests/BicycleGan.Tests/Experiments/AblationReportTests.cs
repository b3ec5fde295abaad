using BicycleGan.Cli.Experiments;
using BicycleGan.Evaluation;
using BicycleGan.Options;

namespace BicycleGan.Tests.Experiments;

/// <summary>The verdicts of EVALUATION.md follow the numbers, whichever way they go.</summary>
public sealed class AblationReportTests
{
    private static AblationExperiment.Outcome Arm(string name, double fillings, double precision,
        double diversity) =>
        new(AblationArm.Find(name), new EvaluationResult
        {
            Options = new EvaluationOptions(), Inputs = 10, DiversityL1 = diversity,
            ModeCoverage = fillings / 12, ModePrecision = precision,
            Skipped = new Dictionary<string, string>(), Examples = [],
        }, TrainSeconds: 60, EvaluationSeconds: 5, Grid: "evaluation/x.png");

    [Fact]
    public void The_paper_s_expectations_hold_when_the_numbers_say_so()
    {
        var findings = AblationReport.Findings(
        [
            Arm("pix2pix-noise", 1.2, 0.95, 0.01), Arm("cvae-gan", 4, 0.7, 0.10),
            Arm("clr-gan", 6, 0.5, 0.12), Arm("bicycle", 7, 0.9, 0.11), Arm("bicycle-ms", 8, 0.85, 0.13),
        ]);

        Assert.Equal(3, findings.Count);
        Assert.StartsWith("**pix2pix+noise collapses: holds.** It gives 1.20 distinct fillings", findings[0]);
        Assert.EndsWith("is the lowest of all arms.", findings[0]);
        Assert.StartsWith("**BicycleGAN is best on realism and diversity together: holds.**", findings[1]);
        Assert.Contains("ranks 1 on fillings per input, 2 on mode precision", findings[1]);
        Assert.Contains("moves fillings per input from 7.00 to 8.00", findings[2]);
    }

    [Fact]
    public void They_are_reported_as_failing_or_undecidable_when_the_numbers_disagree()
    {
        var findings = AblationReport.Findings(
        [
            Arm("pix2pix-noise", 0.5, 0.3, 0.05), Arm("cvae-gan", 9, 0.9, 0.02), Arm("bicycle", 7, 0.9, 0.11),
        ]);

        Assert.Equal(2, findings.Count);
        Assert.StartsWith("**pix2pix+noise collapses: cannot be told.** Only 0.300 of its samples", findings[0]);
        Assert.EndsWith("is not the lowest of the arms.", findings[0]);
        Assert.StartsWith("**BicycleGAN is best on realism and diversity together: does not hold.**",
            findings[1]);
        Assert.Contains("(cVAE-GAN) score 8.10", findings[1]);
    }

    [Fact]
    public void An_equal_best_is_called_a_tie_and_nothing_valid_is_never_a_win()
    {
        var tie = AblationReport.Findings([Arm("cvae-gan", 6, 0.5, 0.1), Arm("bicycle", 3, 1, 0.1)]);
        var nothing = AblationReport.Findings([Arm("cvae-gan", 0, 0, 0.1), Arm("bicycle", 0, 0, 0.1)]);

        Assert.Contains("together: a tie.**", Assert.Single(tie));
        Assert.Contains("together: does not hold.**", Assert.Single(nothing));
    }
}
