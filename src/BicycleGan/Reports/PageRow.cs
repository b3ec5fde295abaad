namespace BicycleGan.Reports;

/// <summary>One picture of a page row: its column label, its path relative to the page.</summary>
internal sealed record PageCell(string Column, string File, int Width);

/// <summary>One input of a page: its name (input_000), where it came from, its pictures.</summary>
internal sealed record PageRow(
    string Name, string Source, IReadOnlyList<PageCell> Cells, string? Link = null);
