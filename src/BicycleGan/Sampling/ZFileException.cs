namespace BicycleGan.Sampling;

/// <summary>
/// A file of latent codes cannot be used: missing, not JSON or CSV, a row of the wrong length,
/// a value that is not a finite number, or fewer codes than samples requested.
/// </summary>
public sealed class ZFileException : Exception
{
    /// <summary>
    /// Creates the exception; the message is
    /// "Z-file '&lt;path&gt;', row &lt;row&gt;: &lt;problem&gt;" or, for problems of the whole
    /// file, "Z-file '&lt;path&gt;' &lt;problem&gt;".
    /// </summary>
    public ZFileException(string path, int? row, string problem, Exception? inner = null)
        : base(row is null ? $"Z-file '{path}' {problem}"
            : $"Z-file '{path}', row {row}: {problem}", inner)
    {
        FilePath = path;
        Row = row;
        Problem = problem;
    }

    /// <summary>The file that failed.</summary>
    public string FilePath { get; }

    /// <summary>
    /// 1-based row (CSV line, or JSON array element) at fault; null for the whole file.
    /// </summary>
    public int? Row { get; }

    /// <summary>What was wrong, as a sentence.</summary>
    public string Problem { get; }
}
