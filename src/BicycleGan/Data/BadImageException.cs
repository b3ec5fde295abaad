namespace BicycleGan.Data;

/// <summary>
/// One file could not become a usable image: empty, truncated, not an image, too large, the
/// wrong shape for its layout, or unreadable. The loader may skip these (SkipBad); structural
/// problems of a dataset raise <see cref="DatasetException"/> instead and are never skipped.
/// </summary>
public sealed class BadImageException : Exception
{
    /// <summary>Creates the exception; the message is "File '&lt;path&gt;' &lt;problem&gt;".</summary>
    public BadImageException(string path, string problem, Exception? inner = null)
        : base($"File '{path}' {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file (or built-in example name) that failed.</summary>
    public string FilePath { get; }

    /// <summary>What was wrong, as a sentence fragment that follows the file name.</summary>
    public string Problem { get; }
}
