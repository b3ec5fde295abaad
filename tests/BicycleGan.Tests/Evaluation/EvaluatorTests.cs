using System.Text.Json;
using BicycleGan.Data;
using BicycleGan.Evaluation;
using BicycleGan.Options;
using BicycleGan.Tests.Sampling;

namespace BicycleGan.Tests.Evaluation;

public sealed class EvaluatorTests
{
    private static readonly EvaluationOptions Small = new() { Samples = 3, Inputs = 4, Seed = 9 };

    [Fact]
    public void Data_without_ground_truth_skips_reconstruction_and_ndb_and_says_why()
    {
        using var model = SamplingFixtures.Model();

        var result = new Evaluator(model, Small).Run(new MemoryDataset(4, withTargets: false));

        Assert.Null(result.ReconstructionL1);
        Assert.Null(result.Ndb);
        Assert.Contains("no ground truth", result.Skipped["reconstruction"]);
        Assert.Contains("ground truths", result.Skipped["ndb"]);
        Assert.NotNull(result.LatentRecoveryL1);
        Assert.True(result.DiversityL1 > 0, "a model with InitGain 1 varies with z");
    }

    [Fact]
    public void A_model_without_an_encoder_skips_reconstruction_and_latent_recovery()
    {
        using var model = SamplingFixtures.Model(ModelVariant.Pix2PixNoise);

        var result = new Evaluator(model, Small).Run(new MemoryDataset(4));

        Assert.Null(result.ReconstructionPsnr);
        Assert.Null(result.LatentRecoveryL1);
        Assert.Contains("no encoder", result.Skipped["latentRecovery"]);
        Assert.NotNull(result.Ndb);
    }

    [Fact]
    public void Diversity_is_the_average_over_inputs_of_each_inputs_consecutive_l1()
    {
        using var model = SamplingFixtures.Model();
        var dataset = new MemoryDataset(2);
        var sampler = new BicycleGan.Sampling.Sampler(model,
            new SamplingOptions { Samples = 3, Inputs = 2, Seed = 9 });
        double expected = sampler.SampleDataset(dataset)
            .Select(s => Diversity.PixelL1(s.Samples)).Average();

        var result = new Evaluator(model, Small with { Inputs = 2 }).Run(dataset);

        Assert.Equal(expected, result.DiversityL1, 12);
        Assert.Equal(2, result.Inputs);
        Assert.Equal(2, result.Ndb!.Bins);
    }

    [Fact]
    public void The_json_holds_the_settings_and_the_same_run_gives_the_same_text()
    {
        using var model = SamplingFixtures.Model();
        var context = new Dictionary<string, string?> { ["data"] = "memory&co" };

        string first = new Evaluator(model, Small).Run(new MemoryDataset(4)).ToJson(context);
        string second = new Evaluator(model, Small).Run(new MemoryDataset(4)).ToJson(context);

        Assert.Equal(first, second);
        using var json = JsonDocument.Parse(first);
        var settings = json.RootElement.GetProperty("settings");
        Assert.Equal(9, settings.GetProperty("seed").GetInt64());
        Assert.Equal("memory&co", settings.GetProperty("data").GetString());
        Assert.Contains("memory&co", first);
    }

    [Fact]
    public void A_shapes_folder_made_by_data_make_brings_its_scenes_for_mode_coverage()
    {
        using var folder = new BicycleGan.Tests.Checkpoints.TempFolder();
        BuiltinDatasets.Make("shapes?size=32&train=2&val=2&test=3", folder.Path, seed: 4);
        var options = new DataOptions { Phase = "test", Preprocess = PreprocessMode.None };
        var fromFiles = DatasetFactory.Open(folder.Path, options);
        var builtin = DatasetFactory.Open("builtin:shapes?size=32&train=2&val=2&test=3", options, 4);

        var scenes = Evaluator.FindScenes(fromFiles, folder.Path, options);
        var expected = Evaluator.FindScenes(builtin, "builtin:shapes", options);

        Assert.NotNull(scenes);
        Assert.NotNull(expected);
        Assert.Equal(expected.Select(s => s.ModeIndex), scenes.Select(s => s.ModeIndex));
        Assert.Equal(expected.Select(s => s.InteriorMask()), scenes.Select(s => s.InteriorMask()));
        Assert.Null(Evaluator.FindScenes(new MemoryDataset(2), "/no/such/folder", options));
    }
}
