using System.Globalization;
using BicycleGan.Checkpoints;

namespace BicycleGan.Training;

/// <summary>
/// One training process per run folder. The holder keeps <c>run.lock</c> open with an
/// exclusive operating-system lock for the whole run; the system drops that lock when the
/// process ends in any way (even SIGKILL or a power cut), so a crashed run never leaves the
/// folder locked. <c>run.owner</c> says which process holds it, for the refusal message.
/// </summary>
public sealed class RunLock : IDisposable
{
    // Windows reports a held file as ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION; .NET on
    // Unix reports flock's EWOULDBLOCK (11 on Linux, 35 on macOS) as the HResult.
    private const int SharingViolation = 32;
    private const int LockViolation = 33;
    private const int WouldBlockLinux = 11;
    private const int WouldBlockMac = 35;

    private readonly FileStream _lock;

    private RunLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock of <paramref name="folder"/>, which must exist, or refuses at once.</summary>
    /// <exception cref="RunFolderException">
    /// Another process holds the lock (its PID is named when known), or the folder cannot be written.
    /// </exception>
    public static RunLock Acquire(RunFolder folder)
    {
        FileStream held;
        try
        {
            held = new FileStream(folder.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.None);
        }
        catch (IOException e) when (IsHeld(e))
        {
            throw InUse(folder, e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RunFolderException(folder.Root,
                $"Run folder '{folder.Root}' is not writable: {e.Message} Choose another --out folder.", e);
        }

        // .NET's own lock can be switched off by an environment variable; this one cannot.
        if (!NativeFileSystem.TryLockExclusive(held.SafeFileHandle))
        {
            held.Dispose();
            throw InUse(folder, null);
        }
        string owner = string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId}\n{Environment.MachineName}\n{DateTimeOffset.UtcNow:O}\n");
        AtomicFile.WriteAllBytes(folder.LockOwnerFile, System.Text.Encoding.UTF8.GetBytes(owner));
        return new RunLock(held);
    }

    /// <summary>Releases the lock. The file stays: deleting it could let two processes lock two files.</summary>
    public void Dispose() => _lock.Dispose();

    private static bool IsHeld(IOException e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is SharingViolation or LockViolation
        : e.HResult is WouldBlockLinux or WouldBlockMac;

    private static RunFolderException InUse(RunFolder folder, Exception? inner)
    {
        int? pid = ReadOwner(folder);
        string holder = pid is { } p ? $"process {p}" : "another process";
        return new RunFolderException(folder.Root,
            $"Run folder '{folder.Root}' is in use: {holder} is training into it. Wait for it to finish " +
            "or stop it, or choose another --out folder.", inner)
        {
            HolderPid = pid,
        };
    }

    private static int? ReadOwner(RunFolder folder)
    {
        try
        {
            string first = File.ReadLines(folder.LockOwnerFile).FirstOrDefault() ?? "";
            return int.TryParse(first, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The owner file is a courtesy for the message; the lock itself is what refuses.
            return null;
        }
    }
}
