using BicycleGan.Options;

namespace BicycleGan.Tests.Options;

public sealed class RunOptionsTests
{
    [Theory]
    [InlineData(Presets.Official256)]
    [InlineData(Presets.Official128)]
    [InlineData(Presets.Seed64)]
    [InlineData(Presets.Small64)]
    public void Every_preset_is_valid_and_survives_a_JSON_round_trip(string name)
    {
        var preset = Presets.Get(name).Validate();
        var back = OptionsJson.Deserialize(OptionsJson.Serialize(preset), "test").Validate();
        Assert.Equal(OptionsJson.Serialize(preset), OptionsJson.Serialize(back));
        Assert.Equal(preset.Model, back.Model);
        Assert.Equal(preset.Train, back.Train);
    }

    [Fact]
    public void Official_256_is_the_reference_default()
    {
        var o = Presets.Get(Presets.Official256).Validate();
        Assert.Equal((8, 64, 8, 5, 3, 2), (o.Model.Nz, o.Model.Ngf, o.Model.NumDowns, o.Model.EncoderBlocks,
            o.Model.DiscriminatorLayers, o.Model.NumDs));
        Assert.Equal((286, 256), (o.Data.LoadSize, o.Data.CropSize));
        Assert.Equal((2e-4, 0.5, 2, 100, 100), (o.Train.Lr, o.Train.Beta1, o.Train.BatchSize, o.Train.Niter,
            o.Train.NiterDecay));
        Assert.Equal((1.0, 1.0, 10.0, 0.01, 0.5), (o.Loss.Gan, o.Loss.Gan2, o.Loss.L1, o.Loss.Kl, o.Loss.Z));
    }

    [Fact]
    public void Seed_64_uses_the_articles_weights_and_no_KL()
    {
        var o = Presets.Get(Presets.Seed64);
        Assert.Equal((10.0, 5.0, 0.0), (o.Loss.Z, o.Loss.L1, o.Loss.Kl));
        Assert.Equal(GeneratorKind.Small, o.Model.Generator);
    }

    [Fact]
    public void Flags_override_the_preset_by_the_references_names()
    {
        var o = OptionsJson.ApplyFlags(Presets.Get(Presets.Official128), new Dictionary<string, string>
        {
            ["lambda_L1"] = "20", ["where-add"] = "input", ["niter"] = "3", ["use-dropout"] = "true",
            ["gan_mode"] = "vanilla", ["model"] = "pix2pix-noise", ["preprocess"] = "scale_width_and_crop",
        });
        Assert.Equal(20, o.Loss.L1);
        Assert.Equal(WhereAddZ.Input, o.Model.WhereAddZ);
        Assert.Equal(3, o.Train.Niter);
        Assert.True(o.Model.UseDropout);
        Assert.Equal(GanMode.Vanilla, o.Train.GanMode);
        Assert.Equal(ModelVariant.Pix2PixNoise, o.Train.Variant);
        Assert.Equal(PreprocessMode.ScaleWidthAndCrop, o.Data.Preprocess);
        Assert.Equal(7, o.Model.NumDowns);
    }

    [Fact]
    public void A_config_file_lays_a_subset_of_options_over_the_preset()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """{"model": {"ngf": 32}, "train": {"lrPolicy": "cosine"}}""");
        var o = OptionsJson.ApplyFile(Presets.Get(Presets.Small64), path);
        File.Delete(path);
        Assert.Equal(32, o.Model.Ngf);
        Assert.Equal(LrPolicy.Cosine, o.Train.LrPolicy);
        Assert.Equal(16, o.Model.Nef);
    }

    [Theory]
    [InlineData("lambda-q", "1", "Unknown option --lambda-q")]
    [InlineData("norm", "group", "takes one of instance, batch, none, not 'group'")]
    [InlineData("batch-size", "two", "takes a whole number, not 'two'")]
    [InlineData("lr", "NaN", "takes a number")]
    public void Bad_flags_are_refused_with_a_sentence_naming_them(string flag, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            OptionsJson.ApplyFlags(Presets.Get(Presets.Small64), [new(flag, value)]));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_config_file_with_an_unknown_key_is_refused()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """{"model": {"ngff": 32}}""");
        var error = Assert.Throws<ArgumentException>(() => OptionsJson.ApplyFile(Presets.Get(Presets.Small64), path));
        File.Delete(path);
        Assert.Contains("ngff", error.Message);
    }

    [Theory]
    [InlineData("batch-size", "3", "--batch-size must be even")]
    [InlineData("crop-size", "96", "--crop-size 96 px is not a multiple of 64")]
    public void Validation_names_the_option_and_the_fix(string flag, string value, string message)
    {
        var o = OptionsJson.ApplyFlags(Presets.Get(Presets.Small64), [new(flag, value)]);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => o.Validate()).Message);
    }

    [Fact]
    public void Unknown_presets_list_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Presets.Get("huge"));
        Assert.Contains("official-256, official-128, seed-64, small-64", error.Message);
    }
}
