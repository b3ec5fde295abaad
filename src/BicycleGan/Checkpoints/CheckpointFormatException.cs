namespace BicycleGan.Checkpoints;

/// <summary>
/// A checkpoint file is malformed, truncated, hostile or of a kind this library does not read.
/// The message is a whole sentence that names the file and the defect.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the defect.</summary>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception, keeping the lower-level error that revealed it.</summary>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="path"/> and one defect.</summary>
    /// <param name="path">The file that was read.</param>
    /// <param name="defect">What is wrong, as the end of a sentence (no trailing period).</param>
    /// <param name="kind">What the file was read as, e.g. "safetensors file".</param>
    internal static CheckpointFormatException For(string path, string kind, string defect) =>
        new($"The file '{path}' is not a valid {kind}: {defect}.");

    internal static CheckpointFormatException For(
        string path, string kind, string defect, Exception innerException) =>
        new($"The file '{path}' is not a valid {kind}: {defect}.", innerException);

    /// <summary>
    /// <paramref name="text"/> quoted for a message: control characters escaped and long text
    /// cut short, since it may come from a hostile file.
    /// </summary>
    internal static string Quote(string text)
    {
        const int MaxLength = 80;
        var quoted = new System.Text.StringBuilder("'");
        foreach (char c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) quoted.Append($"\\u{(int)c:x4}");
            else quoted.Append(c);
        }
        quoted.Append(text.Length > MaxLength ? "'…" : "'");
        return quoted.ToString();
    }
}
