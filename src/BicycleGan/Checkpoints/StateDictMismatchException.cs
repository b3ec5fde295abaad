namespace BicycleGan.Checkpoints;

/// <summary>
/// A state dict does not fit a module: some keys are missing, some are unexpected, or some
/// tensors have another shape or element type. Every problem is listed by name in one message.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception from the lists of problems.</summary>
    public StateDictMismatchException(
        string source,
        IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> mismatches)
        : base(Describe(source, missingKeys, unexpectedKeys, mismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        Mismatches = mismatches;
    }

    /// <summary>Keys the module has and the state dict lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys the state dict has and the module lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One "key: expected …, found …" per tensor of the wrong shape or type.</summary>
    public IReadOnlyList<string> Mismatches { get; }

    private static string Describe(
        string source,
        IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected,
        IReadOnlyList<string> mismatches)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"{Count(missing.Count, "key is", "keys are")} missing "
                + $"({string.Join(", ", missing)})");
        }
        if (unexpected.Count > 0)
        {
            parts.Add($"{Count(unexpected.Count, "key is", "keys are")} unexpected "
                + $"({string.Join(", ", unexpected)})");
        }
        if (mismatches.Count > 0)
        {
            parts.Add($"{Count(mismatches.Count, "tensor differs", "tensors differ")} "
                + $"({string.Join("; ", mismatches)})");
        }
        return $"The weights from {source} do not fit the module: {string.Join("; ", parts)}.";
    }

    private static string Count(int count, string one, string many) =>
        count == 1 ? $"1 {one}" : $"{count} {many}";
}
