namespace BicycleGan.Cli.Bench;

/// <summary>
/// This process's resident memory as the kernel counts it (/proc/self/status), which sees what
/// libtorch allocates natively; the .NET GC's own counters do not.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resident set now (VmRSS), in MB.</summary>
    public static double ResidentMb() => ReadMb("VmRSS:");

    /// <summary>Highest resident set since start or <see cref="TryResetPeak"/> (VmHWM), in MB.</summary>
    public static double PeakMb() => ReadMb("VmHWM:");

    /// <summary>
    /// Lowers the peak mark to the current resident set, so a peak can be told per preset
    /// (writing 5 to clear_refs, Linux 4.0 and later). False where the kernel refuses.
    /// </summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Runs the GC to the end, so what is left of a resident-set change is native.</summary>
    public static void SettleManagedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double ReadMb(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            // "VmRSS:\t  123456 kB"
            string[] parts = line[field.Length..]
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException(
            $"/proc/self/status has no {field} line, so memory cannot be measured on this system.");
    }
}
