namespace BicycleGan.Tests.Checkpoints;

/// <summary>A fact checked against Debian's PyTorch; skipped, with a reason, without it.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    public PyTorchFactAttribute()
    {
        bool present = File.Exists(Python)
            && File.Exists("/usr/lib/python3/dist-packages/torch/__init__.py");
        if (!present)
        {
            Skip = $"PyTorch is not installed for {Python} (Debian's python3-torch), so files "
                + "cannot be checked against torch.load here.";
        }
    }
}
