using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace BicycleGan;

/// <summary>
/// Prepares libtorch for this process: environment for OpenMP (read only when the native library
/// loads, so it must be set through libc before the first torch call) and the intra-op thread
/// count. Call <see cref="Initialize"/> once, before any tensor is made.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Threads libtorch uses for one operation; 0 means one per core.</summary>
    public static void Initialize(int threads = 0)
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                // Spinning OpenMP workers steal the only other core from the data loader and the
                // GC on small machines; a passive wait costs nothing measurable on our kernels.
                SetNativeDefault("OMP_WAIT_POLICY", "PASSIVE");
                SetNativeDefault("KMP_BLOCKTIME", "0");
                _initialized = true;
            }
            int wanted = threads > 0 ? threads : Environment.ProcessorCount;
            if (get_num_threads() != wanted) set_num_threads(wanted);
        }
    }

    private static void SetNativeDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null) return;
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows()) _ = setenv(name, value, 0);
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
