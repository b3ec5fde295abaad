namespace BicycleGan.Data;

/// <summary>A file the loader skipped because it could not be used (SkipBad).</summary>
/// <param name="Path">The file path or built-in example name.</param>
/// <param name="Problem">What was wrong, as in the <see cref="BadImageException"/> message.</param>
public sealed record SkippedFile(string Path, string Problem);
