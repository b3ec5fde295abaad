namespace BicycleGan.Reports;

/// <summary>What <see cref="SamplePage"/> wrote.</summary>
/// <param name="IndexPath">The page, <c>DIR/index.html</c>.</param>
/// <param name="Inputs">Rows of the page.</param>
/// <param name="Images">Files written under <c>DIR/images</c> (PNGs, GIFs and strips).</param>
public sealed record SamplePageSummary(string IndexPath, int Inputs, int Images);
