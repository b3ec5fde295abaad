using BicycleGan.Options;
using BicycleGan.Sampling;
using BicycleGan.Tests.Data;

namespace BicycleGan.Tests.Sampling;

public sealed class LatentCodesTests
{
    private static readonly float[][] Codes =
    [
        [0.5f, -1.25f, 2f, 0f],
        [1e-3f, 3f, -0.75f, 1.5f],
        [-2f, 0.25f, 0.125f, -1f],
    ];

    public LatentCodesTests() => TestNets.Seed();

    [Fact]
    public void Random_codes_are_a_pure_function_of_seed_and_input()
    {
        var codes = LatentCodes.Random(3);
        Assert.Equal(codes.For(2, 5, 4), LatentCodes.Random(3).For(2, 5, 4));
        Assert.NotEqual(codes.For(2, 5, 4), codes.For(3, 5, 4));
        Assert.NotEqual(codes.For(2, 5, 4), LatentCodes.Random(4).For(2, 5, 4));
    }

    [Fact]
    public void Random_codes_look_like_a_standard_normal()
    {
        float[] values = [.. LatentCodes.Random(0).For(0, 500, 8).SelectMany(c => c)];
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(variance, 0.9, 1.1);
    }

    [Fact]
    public void Synced_codes_are_the_same_for_every_input()
    {
        var codes = LatentCodes.Random(3, sync: true);
        Assert.Equal(codes.For(0, 5, 4), codes.For(17, 5, 4));
    }

    [Fact]
    public void Explicit_codes_give_their_first_rows_to_every_input()
    {
        var codes = LatentCodes.Explicit(Codes);
        Assert.Equal(Codes[..2], codes.For(0, 2, 4));
        Assert.Equal(Codes[..2], codes.For(9, 2, 4));
    }

    [Fact]
    public void Json_and_csv_z_files_read_the_same_codes_as_given_explicitly()
    {
        using var folder = new TempFolder();
        string json = folder.Combine("z.json");
        string csv = folder.Combine("z.csv");
        File.WriteAllText(json, "[[0.5, -1.25, 2, 0], [1e-3, 3, -0.75, 1.5], [-2, 0.25, 0.125, -1]]");
        File.WriteAllText(csv, "z0,z1,z2,z3\n0.5,-1.25,2,0\r\n\n1e-3, 3, -0.75, 1.5\n-2,0.25,0.125,-1\n");
        Assert.Equal(Codes, LatentCodes.FromFile(json, 4).For(0, 3, 4));
        Assert.Equal(Codes, LatentCodes.FromFile(csv, 4).For(0, 3, 4));
    }

    [Fact]
    public void A_z_file_makes_the_same_samples_as_the_same_codes_passed_in_code()
    {
        using var folder = new TempFolder();
        string json = folder.Combine("z.json");
        string csv = folder.Combine("z.csv");
        File.WriteAllText(json, "[[0.5, -1.25, 2, 0], [1e-3, 3, -0.75, 1.5], [-2, 0.25, 0.125, -1]]");
        File.WriteAllText(csv, "0.5,-1.25,2,0\n1e-3,3,-0.75,1.5\n-2,0.25,0.125,-1\n");
        using var model = SamplingFixtures.Model();
        var options = new SamplingOptions { Samples = 3 };
        byte[][] Pngs(Sampler sampler) =>
            SamplingFixtures.Png(sampler.Sample(0, SamplingFixtures.Image(0, 1)).Samples);
        var given = Pngs(new Sampler(model, options, LatentCodes.Explicit(Codes)));
        Assert.Equal(given, Pngs(new Sampler(model, options with { ZFile = json })));
        Assert.Equal(given, Pngs(new Sampler(model, options with { ZFile = csv })));
    }

    [Theory]
    [InlineData("z.csv", "0,0,0,0\n1,2,3\n", 2, "holds 3 comma-separated values, but the model's")]
    [InlineData("z.csv", "0;0;0;0\n", 1, "holds 1 comma-separated values, but the model's codes")]
    [InlineData("z.csv", "0,0,0,0\n0,0,0,0\n1,NaN,3,4\n", 3, "value 2 (NaN) is not a finite number")]
    [InlineData("z.csv", "0,0,0,0\n1,2,inf,4\n", 2, "value 3 (inf) is not a finite number")]
    [InlineData("z.csv", "inf,0,0,0\n", 1, "value 1 (inf) is not a finite number")]
    [InlineData("z.csv", "0,0,0,0\n1,2,abc,4\n", 2, "value 3 ('abc') is not a number")]
    [InlineData("z.csv", "0,0,0,0\n1,2,,4\n", 2, "value 3 is empty")]
    [InlineData("z.csv", "0,0,0,0\n1,2,1e39,4\n", 2, "too large for a 32-bit float")]
    [InlineData("z.json", "[[0,0,0,0],[1,2,3]]", 2, "holds 3 values, but the model's codes have nz = 4")]
    [InlineData("z.json", "[[0,0,0,0],[1,\"NaN\",3,4]]", 2, "value 2 (\"NaN\") is not a number")]
    [InlineData("z.json", "[[0,0,0,0],[0,0,0,0],[1,2,3,1e999]]", 3,
        "value 4 (1e999) is not a finite number")]
    [InlineData("z.json", "[[0,0,0,0],5]", 2, "each code must be an array of 4 numbers")]
    public void A_bad_row_of_a_z_file_is_named_with_its_problem(string name, string text, int row,
        string problem)
    {
        using var folder = new TempFolder();
        string path = folder.Combine(name);
        File.WriteAllText(path, text);
        var e = Assert.Throws<ZFileException>(() => LatentCodes.FromFile(path, 4));
        Assert.Equal(row, e.Row);
        Assert.Contains($"Z-file '{path}', row {row}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_z_file_with_fewer_codes_than_samples_says_how_many_it_holds()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("z.csv");
        File.WriteAllText(path, "0,0,0,0\n1,1,1,1\n");
        var codes = LatentCodes.FromFile(path, 4);
        var e = Assert.Throws<ZFileException>(() => codes.For(0, 5, 4));
        Assert.Contains(
            $"Z-file '{path}' holds 2 codes, but 5 samples per input were requested", e.Message);
    }

    [Theory]
    [InlineData("z.json", "[[0,0,0,0],[1,2,3,4]", "is not valid JSON (line 1")]
    [InlineData("z.json", "{\"z\": []}", "holds a JSON Object at the top")]
    [InlineData("z.csv", "z0,z1,z2,z3\n", "holds no codes")]
    [InlineData("missing.csv", null, "does not exist")]
    public void A_z_file_that_is_unusable_as_a_whole_is_named(string name, string? text, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.Combine(name);
        if (text is not null) File.WriteAllText(path, text);
        var e = Assert.Throws<ZFileException>(() => LatentCodes.FromFile(path, 4));
        Assert.Null(e.Row);
        Assert.StartsWith($"Z-file '{path}' ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_csv_header_is_only_accepted_on_the_first_line()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("z.csv");
        File.WriteAllText(path, "0,0,0,0\nz0,z1,z2,z3\n");
        var e = Assert.Throws<ZFileException>(() => LatentCodes.FromFile(path, 4));
        Assert.Equal(2, e.Row);
    }

    [Fact]
    public void Sync_with_a_z_file_is_refused_because_it_would_change_nothing()
    {
        var e = Assert.Throws<ArgumentException>(
            () => new SamplingOptions { Sync = true, ZFile = "z.csv" }.Validate());
        Assert.Contains("--sync", e.Message);
    }
}
