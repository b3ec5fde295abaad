using BicycleGan.Checkpoints;
using BicycleGan.Evaluation;
using BicycleGan.Tests.Checkpoints;

namespace BicycleGan.Tests.Evaluation;

public sealed class LpipsTests
{
    public LpipsTests() => TestNets.Seed(0);

    [Theory]
    [InlineData("0.0", "square")]
    [InlineData("0.0", "wide")]
    [InlineData("0.1", "square")]
    [InlineData("0.1", "wide")]
    public void Distances_match_the_reference_script_within_1e_5(string version, string batch)
    {
        using var lpips = Lpips.Load([EvaluationFixtures.Trunk, EvaluationFixtures.Heads(version)]);
        using var cases = PyTorchCheckpoint.Read(EvaluationFixtures.LpipsCases);

        double[] actual = lpips.Distances(EvaluationFixtures.Images(cases.Tensors[$"{batch}.in0"]),
            EvaluationFixtures.Images(cases.Tensors[$"{batch}.in1"]));

        double[] expected = EvaluationFixtures.Values(cases.Tensors[$"{batch}.v{version}"]);
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.True(Math.Abs(expected[k] - actual[k]) < 1e-5,
            $"pair {k}: expected {expected[k]}, got {actual[k]}");
    }

    [Fact]
    public void The_version_comes_from_the_head_files_folder_and_changes_the_distance()
    {
        using var v0 = Lpips.Load([EvaluationFixtures.Trunk, EvaluationFixtures.Heads("0.0")]);
        using var v1 = Lpips.Load([EvaluationFixtures.Heads("0.1"), EvaluationFixtures.Trunk]);

        Assert.Equal(LpipsVersion.V0_0, v0.Version);
        Assert.Equal(LpipsVersion.V0_1, v1.Version);
        Assert.Equal([8, 16, 24, 16, 16], v1.Widths);
        var a = EvaluationFixtures.Constant(0.5f);
        var b = SamplingImage(3);
        Assert.NotEqual(v0.Distance(a, b), v1.Distance(a, b), 6);
    }

    [Fact]
    public void One_file_in_the_lpips_modules_layout_gives_the_same_distances_as_two_files()
    {
        using var combined = Lpips.Load([EvaluationFixtures.Combined]);
        using var separate = Lpips.Load([EvaluationFixtures.Trunk, EvaluationFixtures.Heads("0.1")]);
        using var cases = PyTorchCheckpoint.Read(EvaluationFixtures.LpipsCases);
        var in0 = EvaluationFixtures.Images(cases.Tensors["square.in0"]);
        var in1 = EvaluationFixtures.Images(cases.Tensors["square.in1"]);

        Assert.Equal(LpipsVersion.V0_1, combined.Version);
        Assert.Equal(separate.Distances(in0, in1), combined.Distances(in0, in1));
    }

    [Fact]
    public void An_image_is_at_distance_zero_from_itself()
    {
        using var lpips = Lpips.Load([EvaluationFixtures.Combined]);
        var image = SamplingImage(1);

        Assert.Equal(0, lpips.Distance(image, image), 12);
    }

    [Fact]
    public void A_head_file_whose_path_names_no_version_is_refused_unless_the_version_is_given()
    {
        using var folder = new TempFolder();
        string heads = Path.Combine(folder.Path, "heads.pth");
        File.Copy(EvaluationFixtures.Heads("0.0"), heads);

        var e = Assert.Throws<ArgumentException>(() => Lpips.Load([EvaluationFixtures.Trunk, heads]));
        Assert.Contains("--lpips-version", e.Message);
        using var named = Lpips.Load([EvaluationFixtures.Trunk, heads], LpipsVersion.V0_0);
        Assert.Equal(LpipsVersion.V0_0, named.Version);
    }

    [Fact]
    public void A_trunk_without_heads_is_refused_with_the_missing_keys_and_the_file_to_add()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Lpips.Load([EvaluationFixtures.Trunk]));

        Assert.Contains("lin0", e.Message);
        Assert.Contains("weights/v0.1/alex.pth", e.Message);
    }

    [Fact]
    public void A_file_of_some_other_network_is_refused_with_its_keys()
    {
        var e = Assert.Throws<CheckpointFormatException>(
            () => Lpips.Load([Fixtures.File("Checkpoints", "tiny_zip.pth")]));

        Assert.Contains("conv.weight", e.Message);
        Assert.Contains("does not use", e.Message);
    }

    [Fact]
    public void The_same_file_given_twice_is_refused()
    {
        var e = Assert.Throws<CheckpointFormatException>(
            () => Lpips.Load([EvaluationFixtures.Combined, EvaluationFixtures.Trunk]));

        Assert.Contains("given twice", e.Message);
    }

    [Fact]
    public void Images_smaller_than_alexnet_needs_are_refused()
    {
        using var lpips = Lpips.Load([EvaluationFixtures.Combined]);
        var small = EvaluationFixtures.Constant(0, 3, 16);

        var e = Assert.Throws<ArgumentException>(() => lpips.Distance(small, small));
        Assert.Contains("at least 31×31", e.Message);
    }

    [Fact]
    public void Full_size_alexnet_weights_in_one_torchvision_style_file_load_and_run()
    {
        using var folder = new TempFolder();
        string path = folder.File("lpips_v0.1_full.pth");
        int[] widths = [64, 192, 384, 256, 256];
        int[] kernels = [11, 5, 3, 3, 3];
        int[] indices = [0, 3, 6, 8, 10];
        var weights = new Dictionary<string, TorchSharp.torch.Tensor>();
        long inChannels = 3;
        for (int l = 0; l < 5; l++)
        {
            weights[$"features.{indices[l]}.weight"] =
                TorchSharp.torch.randn(widths[l], inChannels, kernels[l], kernels[l]) * 0.05f;
            weights[$"features.{indices[l]}.bias"] = TorchSharp.torch.zeros(widths[l]);
            weights[$"lin{l}.model.1.weight"] = TorchSharp.torch.rand(1, widths[l], 1, 1);
            inChannels = widths[l];
        }
        PyTorchCheckpoint.Write(path, weights);
        foreach (var t in weights.Values) t.Dispose();

        using var lpips = Lpips.Load([path]);
        var a = Sampling.SamplingFixtures.Image(1, 3, 64);
        var b = Sampling.SamplingFixtures.Image(2, 3, 64);

        Assert.Equal(widths, lpips.Widths);
        Assert.Equal(LpipsVersion.V0_1, lpips.Version);
        Assert.Equal(0, lpips.Distance(a, a), 12);
        Assert.True(lpips.Distance(a, b) > 0);
    }

    private static BicycleGan.Data.HostImage SamplingImage(int index) =>
        Sampling.SamplingFixtures.Image(index, 3);
}
