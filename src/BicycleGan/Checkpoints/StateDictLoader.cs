using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Copies a state dict into a module strictly: every key must match a parameter or buffer of
/// the same shape and element type, and nothing may be left over, so a checkpoint for another
/// architecture fails loudly instead of loading half its weights.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Statistics that old PyTorch saved for InstanceNorm layers, which no longer have them
    /// (the official BicycleGAN checkpoints hold them; the layers never used them).
    /// </summary>
    private static readonly HashSet<string> StaleInstanceNormKeys =
        ["running_mean", "running_var", "num_batches_tracked"];

    /// <summary>
    /// Copies <paramref name="stateDict"/> into the parameters and buffers of
    /// <paramref name="module"/> in place, so each keeps its <c>requires_grad</c>, device and
    /// identity (optimizers holding them stay valid). Nothing is copied if anything mismatches.
    /// </summary>
    /// <param name="module">The module whose <c>state_dict()</c> keys the file must match.</param>
    /// <param name="stateDict">Tensors by key, on any device; the caller keeps ownership.</param>
    /// <param name="source">Where the tensors came from, for the error message.</param>
    /// <exception cref="StateDictMismatchException">
    /// Keys are missing or unexpected, or shapes or element types differ; all are listed.
    /// </exception>
    public static void Load(
        nn.Module module,
        IReadOnlyDictionary<string, Tensor> stateDict,
        string source = "the checkpoint")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        Dictionary<string, Tensor> targets = module.state_dict();

        var missing = targets.Keys.Where(key => !stateDict.ContainsKey(key)).ToList();
        var instanceNorms = module.named_modules()
            .Where(named => named.module is InstanceNorm1d or InstanceNorm2d or InstanceNorm3d)
            .Select(named => named.name)
            .ToHashSet(StringComparer.Ordinal);
        var unexpected = stateDict.Keys
            .Where(key => !targets.ContainsKey(key) && !IsStaleInstanceNormKey(key, instanceNorms))
            .ToList();
        var mismatches = targets
            .Where(target => stateDict.ContainsKey(target.Key))
            .Select(target => Mismatch(target.Key, target.Value, stateDict[target.Key]))
            .OfType<string>()
            .ToList();
        if (missing.Count + unexpected.Count + mismatches.Count > 0)
        {
            throw new StateDictMismatchException(source, missing, unexpected, mismatches);
        }

        // Autograd must not record the copy: parameters are leaves that require gradients.
        using (no_grad())
        {
            foreach (var (key, target) in targets) target.copy_(stateDict[key]);
        }
    }

    private static bool IsStaleInstanceNormKey(string key, HashSet<string> instanceNorms)
    {
        int dot = key.LastIndexOf('.');
        string owner = dot < 0 ? "" : key[..dot];
        return StaleInstanceNormKeys.Contains(key[(dot + 1)..]) && instanceNorms.Contains(owner);
    }

    private static string? Mismatch(string key, Tensor expected, Tensor found)
    {
        if (!expected.shape.SequenceEqual(found.shape))
        {
            return $"{key}: expected shape {Shape(expected)}, found {Shape(found)}";
        }
        if (expected.dtype != found.dtype)
        {
            return $"{key}: expected {expected.dtype}, found {found.dtype}";
        }
        return null;
    }

    private static string Shape(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";
}
