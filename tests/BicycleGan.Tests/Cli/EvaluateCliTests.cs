using System.Text.Json;
using BicycleGan.Tests.Evaluation;

namespace BicycleGan.Tests.Cli;

public sealed class EvaluateCliTests : IDisposable
{
    private const string Data = "builtin:shapes?size=32&train=16&val=4&test=4";

    private static readonly string[] Keys =
    [
        "diversity.l1", "diversity.lpips",
        "reconstruction.l1", "reconstruction.psnr", "reconstruction.ssim",
        "latentRecovery.l1",
        "ndb.bins", "ndb.different", "ndb.differentShare", "ndb.jsd",
        "modes.coverage", "modes.precision",
        "settings.seed", "settings.samplesPerInput", "settings.inputs",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Evaluate_writes_every_metric_finite_and_the_same_seed_gives_the_same_metrics_json()
    {
        string run = Path.Combine(_root, "run");
        var trained = CliRunner.Run(
            ["train", "--out", run, "--max-steps", "2", .. CliRunner.TinyTraining]);
        Assert.True(trained.ExitCode == 0, trained.All);

        string first = Evaluate(run, "first", seed: "5");
        string second = Evaluate(run, "second", seed: "5");
        string other = Evaluate(run, "other", seed: "6");

        using var json = JsonDocument.Parse(first);
        foreach (string key in Keys)
        {
            var value = Find(json.RootElement, key);
            Assert.True(value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()),
                $"{key} should be a finite number, not {value}");
        }
        Assert.Equal(4, Find(json.RootElement, "settings.inputs").GetInt32());
        Assert.Equal(4, Find(json.RootElement, "ndb.bins").GetInt32());
        Assert.Equal("0.1", Find(json.RootElement, "diversity.lpipsVersion").GetString());
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        string report = File.ReadAllText(Path.Combine(_root, "first", "report.html"));
        Assert.Contains("Mode coverage", report);
        Assert.Contains("images/000_random_01.png", report);
        Assert.True(File.Exists(Path.Combine(_root, "first", "images", "000_random_01.png")));
    }

    [Theory]
    [InlineData("does not exist", "--model", "/no/such/run")]
    [InlineData("does not use", "--lpips-weights", "Checkpoints/tiny_zip.pth")]
    [InlineData("takes 0.0 or 0.1", "--lpips-version", "2")]
    public void A_mistake_gets_one_line_and_exit_code_1_or_2(string message, string flag, string value)
    {
        string run = Path.Combine(_root, "missing-run");
        string argument = flag == "--lpips-weights" ? Fixtures.File(value.Split('/')) : value;
        string outDir = Path.Combine(_root, "x");
        string[] args = flag == "--model"
            ? ["evaluate", "--model", argument, "--data", Data, "--out", outDir]
            : ["evaluate", "--model", run, "--data", Data, "--out", outDir, flag, argument];
        if (flag != "--model") Directory.CreateDirectory(run);

        var result = CliRunner.Run(args);

        Assert.True(result.ExitCode is 1 or 2, result.All);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private string Evaluate(string run, string name, string seed)
    {
        string outDir = Path.Combine(_root, name);
        var result = CliRunner.Run("evaluate", "--model", run, "--data", Data, "--out", outDir,
            "--samples", "3", "--inputs", "4", "--seed", seed, "--threads", "1",
            "--lpips-weights", EvaluationFixtures.Trunk, EvaluationFixtures.Heads("0.1"));
        Assert.True(result.ExitCode == 0, result.All);
        return File.ReadAllText(Path.Combine(outDir, "metrics.json"));
    }

    private static JsonElement Find(JsonElement root, string path)
    {
        var element = root;
        foreach (string part in path.Split('.'))
        {
            Assert.True(element.TryGetProperty(part, out element), $"metrics.json lacks {path}");
        }
        return element;
    }
}
