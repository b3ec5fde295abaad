using BicycleGan.Checkpoints;
using BicycleGan.Evaluation;

namespace BicycleGan.Tests.Evaluation;

public sealed class ReconstructionMetricsTests
{
    [Fact]
    public void Ssim_psnr_and_l1_match_the_numpy_reference_on_small_images()
    {
        TestNets.Seed(0);
        using var cases = PyTorchCheckpoint.Read(EvaluationFixtures.SsimCases);
        // The fixture is on [0, 1]; our images are on [-1, 1].
        var x = EvaluationFixtures.Images(cases.Tensors["x"], v => 2 * v - 1);
        var y = EvaluationFixtures.Images(cases.Tensors["y"], v => 2 * v - 1);
        double[] ssim = EvaluationFixtures.Values(cases.Tensors["ssim"]);
        double[] psnr = EvaluationFixtures.Values(cases.Tensors["psnr"]);
        double[] l1 = EvaluationFixtures.Values(cases.Tensors["l1"]);

        for (int k = 0; k < x.Count; k++)
        {
            Assert.Equal(ssim[k], Ssim.Compute(x[k], y[k]), 5);
            Assert.Equal(psnr[k], Psnr.Compute(x[k], y[k]), 4);
            Assert.Equal(l1[k], UnitImage.MeanAbsoluteDifference(x[k], y[k]), 6);
        }
    }

    [Fact]
    public void Identical_images_have_ssim_1_and_the_capped_psnr()
    {
        var image = Sampling.SamplingFixtures.Image(2, 3, 24);

        Assert.Equal(1.0, Ssim.Compute(image, image), 12);
        Assert.Equal(Psnr.MaxDecibels, Psnr.Compute(image, image), 9);
    }

    [Fact]
    public void Black_against_white_has_psnr_0_and_l1_1()
    {
        var black = EvaluationFixtures.Constant(-1, 3, 16);
        var white = EvaluationFixtures.Constant(1, 3, 16);

        Assert.Equal(0, Psnr.Compute(black, white), 12);
        Assert.Equal(1, UnitImage.MeanAbsoluteDifference(black, white), 12);
    }

    [Fact]
    public void Ssim_refuses_images_smaller_than_its_window()
    {
        var small = EvaluationFixtures.Constant(0, 3, 8);

        var e = Assert.Throws<ArgumentException>(() => Ssim.Compute(small, small));
        Assert.Contains("at least 11×11", e.Message);
    }
}
