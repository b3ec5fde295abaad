namespace BicycleGan.Tests.Checkpoints;

/// <summary>A fact about Linux-only system calls, skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "This checks a Linux system call, which other systems lack.";
        }
    }
}
