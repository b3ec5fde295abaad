namespace BicycleGan.Data;

/// <summary>
/// The fills of the <c>shapes</c> dataset: six well-separated colours × {solid, stripes} = 12
/// modes, drawn uniformly per image. Evaluation scores mode coverage against this list.
/// </summary>
public static class ShapesModes
{
    private static readonly (string Name, byte R, byte G, byte B)[] Colours =
    [
        ("red", 220, 40, 40),
        ("green", 40, 170, 60),
        ("blue", 40, 80, 220),
        ("yellow", 240, 200, 30),
        ("magenta", 200, 50, 200),
        ("cyan", 30, 190, 200),
    ];

    /// <summary>All modes, colour-major: index = colour × 2 + texture.</summary>
    public static IReadOnlyList<ShapeMode> All { get; } = Build();

    /// <summary>Number of modes (12).</summary>
    public static int Count => All.Count;

    private static ShapeMode[] Build()
    {
        var modes = new List<ShapeMode>();
        foreach (var (name, r, g, b) in Colours)
        {
            foreach (var texture in Enum.GetValues<FillTexture>())
            {
                string label = $"{name}-{texture.ToString().ToLowerInvariant()}";
                modes.Add(new ShapeMode(modes.Count, label, r, g, b, texture));
            }
        }
        return modes.ToArray();
    }
}
