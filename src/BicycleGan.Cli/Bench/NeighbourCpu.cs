using System.Diagnostics;
using System.Globalization;

namespace BicycleGan.Cli.Bench;

/// <summary>
/// The CPU time other processes took while a measurement ran: the machine's busy time
/// (/proc/stat) minus this process's own, as a share of all cores over the wall time. The load
/// average cannot tell a neighbour's build from our own threads; this can.
/// </summary>
internal sealed class NeighbourCpu
{
    // /proc/stat counts in USER_HZ, which is 100 on every Linux that .NET runs on.
    private const double TicksPerSecond = 100;
    private readonly double? _busyAtStart = MachineBusySeconds();
    private readonly TimeSpan _ownAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    /// <summary>Others' share of the machine since construction (%); null without /proc/stat.</summary>
    public double? OtherPct()
    {
        double? busy = MachineBusySeconds();
        if (busy is null || _busyAtStart is null) return null;
        double own = (Process.GetCurrentProcess().TotalProcessorTime - _ownAtStart).TotalSeconds;
        double capacity = _wall.Elapsed.TotalSeconds * Environment.ProcessorCount;
        return Math.Max(0, busy.Value - _busyAtStart.Value - own) / capacity * 100;
    }

    /// <summary>Seconds all cores spent busy since boot: everything but idle and I/O wait.</summary>
    private static double? MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat")) return null;
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
        // already inside user, and steal is time the hypervisor gave to someone else.
        string first = File.ReadLines("/proc/stat").First();
        long[] ticks = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long idle = ticks[3] + ticks[4];
        return (ticks.Sum() - idle) / TicksPerSecond;
    }
}
