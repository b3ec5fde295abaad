using System.Text.Json;

namespace BicycleGan.Data;

/// <summary>
/// <c>scenes.json</c>, written beside each split of a made <c>shapes</c> folder, so that a model
/// trained or tested from files can still be scored against exact masks and modes. One entry
/// per image: index, file, size, outlineWidth, modeIndex, mode (name) and the shapes (kind,
/// centerX, centerY, radius), with coordinates written exactly (shortest round-trip form).
/// </summary>
public static class ShapesSceneFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="scenes"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<ShapesScene> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var entries = scenes.Select(s => new Dictionary<string, object>
        {
            ["index"] = s.Index,
            ["file"] = FileName(s.Index),
            ["size"] = s.Size,
            ["outlineWidth"] = s.OutlineWidth,
            ["modeIndex"] = s.ModeIndex,
            ["mode"] = s.Mode.Name,
            ["shapes"] = s.Shapes.Select(p => new Dictionary<string, object>
            {
                ["kind"] = p.Kind.ToString().ToLowerInvariant(),
                ["centerX"] = p.CenterX,
                ["centerY"] = p.CenterY,
                ["radius"] = p.Radius,
            }).ToArray(),
        }).ToArray();
        File.WriteAllText(path, JsonSerializer.Serialize(entries, Json) + "\n");
    }

    /// <summary>Reads a file written by <see cref="Write"/>, in file order.</summary>
    /// <exception cref="DatasetException">The file is missing or malformed.</exception>
    public static IReadOnlyList<ShapesScene> Read(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"Scene file '{path}' does not exist.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.EnumerateArray().Select(ReadScene).ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException
            or ArgumentException or FormatException)
        {
            throw new DatasetException($"Scene file '{path}' is not a shapes scenes.json: {e.Message}", e);
        }
    }

    /// <summary>The image file name of example <paramref name="index"/> in a made folder.</summary>
    public static string FileName(int index) => $"{index:D5}.png";

    private static ShapesScene ReadScene(JsonElement entry)
    {
        var shapes = entry.GetProperty("shapes").EnumerateArray().Select(p => new Shape(
            Enum.Parse<ShapeKind>(p.GetProperty("kind").GetString()!, ignoreCase: true),
            p.GetProperty("centerX").GetDouble(),
            p.GetProperty("centerY").GetDouble(),
            p.GetProperty("radius").GetDouble())).ToArray();
        int mode = entry.GetProperty("modeIndex").GetInt32();
        if (mode < 0 || mode >= ShapesModes.Count)
            throw new FormatException($"modeIndex {mode} is not one of the {ShapesModes.Count} modes.");
        return new ShapesScene(entry.GetProperty("index").GetInt32(), entry.GetProperty("size").GetInt32(),
            entry.GetProperty("outlineWidth").GetDouble(), shapes, mode);
    }
}
