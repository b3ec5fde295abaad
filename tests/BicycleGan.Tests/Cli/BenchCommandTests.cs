using System.Text.Json;

namespace BicycleGan.Tests.Cli;

/// <summary>
/// The bench verb end to end on its smallest setting. Only the shape of the output is checked:
/// timings depend on the machine and its load, so no test asserts on them.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private static readonly string[] PositiveKeys =
    [
        "train_step_s", "g_images_per_s_b1", "g_images_per_s_b8", "e_images_per_s",
        "loader_images_per_s", "peak_rss_mb", "g_gflops", "peak_gflops", "g_flops_per_image",
        "fed_step_s",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-bench-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Bench_on_small_64_writes_every_number_finite_and_positive_and_leaks_no_tensors()
    {
        string output = Path.Combine(_root, "bench.json");

        var result = CliRunner.Run("bench", "--preset", "small-64", "--steps", "20",
            "--repeats", "1", "--sample-seconds", "0.05", "--out", output);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("small-64", result.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.True(root.GetProperty("threads").GetInt32() >= 1);
        Assert.True(root.GetProperty("machine").GetProperty("peak_gflops").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("date").GetString()));
        var preset = root.GetProperty("presets").GetProperty("small-64");
        foreach (string key in PositiveKeys)
        {
            double value = preset.GetProperty(key).GetDouble();
            Assert.True(double.IsFinite(value) && value > 0, $"{key} is {value}.");
        }
        foreach (string key in PositiveKeys.Take(5))
            Assert.Equal(JsonValueKind.Object, preset.GetProperty(key + "_spread").ValueKind);
        Assert.True(double.IsFinite(preset.GetProperty("native_growth_pct").GetDouble()));
        Assert.True(preset.GetProperty("data_wait_pct").GetDouble() >= 0);
        Assert.Equal(20, preset.GetProperty("memory_run").GetProperty("steps").GetInt32());
        Assert.Equal(preset.GetProperty("live_tensors_at_warmup").GetInt64(),
            preset.GetProperty("live_tensors_at_end").GetInt64());
    }
}
