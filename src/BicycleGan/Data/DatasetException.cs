namespace BicycleGan.Data;

/// <summary>
/// A dataset as a whole cannot be used: a missing or empty split, A and B folders that do not
/// match, an unknown built-in name, missing Fashion-MNIST files. Never skipped.
/// </summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception with a whole-sentence message naming the folder or file.</summary>
    public DatasetException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
