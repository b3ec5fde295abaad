using System.ComponentModel;
using System.Runtime.InteropServices;

namespace BicycleGan.Checkpoints;

/// <summary>
/// The POSIX calls .NET does not expose: fsync on a directory (so a rename inside it survives
/// a power cut), Linux's atomic exchange of two paths, and flock for the run folder's lock.
/// </summary>
internal static class NativeFileSystem
{
    private const int AtCurrentDirectory = -100;
    private const uint RenameExchange = 2;
    private const int ErrorInvalidArgument = 22;
    private const int ErrorNotSupported = 95;
    private const int ErrorWouldBlock = 11;
    private const int ErrorNoLocks = 37;
    private const int ErrorWouldBlockMac = 35;

    /// <summary>Flushes the entries (renames) of <paramref name="directory"/> to disk.</summary>
    /// <remarks>Windows has no such call; its file systems journal renames themselves.</remarks>
    internal static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = open(directory, 0);
        if (fd < 0) throw Failure("open", directory);
        try
        {
            // Some file systems (e.g. certain network mounts) cannot sync a directory and say so
            // with EINVAL; there is nothing more durable to do on them.
            if (fsync(fd) != 0 && Marshal.GetLastPInvokeError() is not ErrorInvalidArgument)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Swaps two existing paths in one step (Linux renameat2 with RENAME_EXCHANGE). Returns false
    /// where the kernel, C library or file system cannot, so the caller can fall back.
    /// </summary>
    internal static bool TryExchange(string first, string second)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            int result = renameat2(
                AtCurrentDirectory, first, AtCurrentDirectory, second, RenameExchange);
            if (result == 0) return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        int error = Marshal.GetLastPInvokeError();
        if (error is ErrorInvalidArgument or ErrorNotSupported) return false;
        throw new IOException(
            $"Could not swap '{first}' and '{second}': {new Win32Exception(error).Message}.");
    }

    /// <summary>
    /// Takes an exclusive advisory lock (flock) on an open file without waiting. Returns false
    /// when another open file holds it. Windows locks through the file's sharing mode instead,
    /// so there it returns true.
    /// </summary>
    internal static bool TryLockExclusive(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (OperatingSystem.IsWindows()) return true;
        const int LockExclusive = 2, LockNonBlocking = 4;
        int fd = (int)file.DangerousGetHandle();
        if (flock(fd, LockExclusive | LockNonBlocking) == 0) return true;
        int error = Marshal.GetLastPInvokeError();
        // EWOULDBLOCK (EAGAIN) means held; a file system without flock cannot lock at all.
        bool held = error == ErrorWouldBlock || (OperatingSystem.IsMacOS() && error == ErrorWouldBlockMac);
        if (held) return false;
        if (error is ErrorInvalidArgument or ErrorNotSupported or ErrorNoLocks) return true;
        throw Failure("flock", "the run lock file");
    }

    private static IOException Failure(string call, string path)
    {
        string reason = new Win32Exception(Marshal.GetLastPInvokeError()).Message;
        return new IOException($"The call {call} failed on '{path}': {reason}.");
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int renameat2(
        int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
