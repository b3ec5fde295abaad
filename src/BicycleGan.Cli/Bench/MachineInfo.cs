using System.Globalization;
using System.Runtime.InteropServices;

namespace BicycleGan.Cli.Bench;

/// <summary>
/// What the numbers were measured on, and the machine's single-precision peak: cores × FLOPs per
/// cycle per core × clock. FLOPs per cycle follow the widest fused multiply-add the flags admit
/// (AVX-512: 2 FMA units × 16 lanes × 2 = 64; AVX2+FMA: 2 × 8 × 2 = 32); cores are the logical
/// processors libtorch may use, and the clock is the one /proc/cpuinfo reports, not a boost clock.
/// </summary>
internal sealed record MachineInfo(string CpuModel, int Cores, double Mhz, string VectorUnit,
    int FlopsPerCycle, string Os, string Runtime, string TorchSharp)
{
    /// <summary>Peak single-precision GFLOP/s of the whole machine.</summary>
    public double PeakGflops => Cores * FlopsPerCycle * Mhz / 1000.0;

    /// <summary>How the peak was worked out, for the report.</summary>
    public string PeakFormula =>
        $"{Cores} cores × {FlopsPerCycle} FLOP/cycle ({VectorUnit}) × {Mhz:F0} MHz = " +
        $"{PeakGflops:F1} GFLOP/s";

    public static MachineInfo Read()
    {
        var lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string model = Field(lines, "model name").FirstOrDefault()
            ?? RuntimeInformation.ProcessArchitecture.ToString();
        var clocks = Field(lines, "cpu MHz")
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var flags = (Field(lines, "flags").FirstOrDefault() ?? "").Split(' ')
            .ToHashSet(StringComparer.Ordinal);
        var (unit, perCycle) = flags.Contains("avx512f") ? ("AVX-512", 64)
            : flags.Contains("avx2") && flags.Contains("fma") ? ("AVX2+FMA", 32)
            : flags.Contains("avx") ? ("AVX", 16)
            : ("SSE", 8);
        double mhz = clocks.Count > 0 ? clocks.Average() : 0;
        string torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";
        return new MachineInfo(model, Environment.ProcessorCount, mhz, unit, perCycle,
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, torchSharp);
    }

    /// <summary>The 1, 5 and 15 minute load averages; empty where /proc/loadavg is missing.</summary>
    public static double[] LoadAverage()
    {
        if (!File.Exists("/proc/loadavg")) return [];
        return File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    private static IEnumerable<string> Field(IEnumerable<string> lines, string name) =>
        lines.Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':'))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim());
}
