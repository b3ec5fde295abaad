using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>
/// Run options as JSON (the run folder's <c>options.json</c> and user config files), and the one
/// way options are changed by name: a config file and command-line flags both become JSON
/// overlays on the preset, so the two can never disagree about what an option means.
/// </summary>
public static class OptionsJson
{
    /// <summary>camelCase sections and keys, enum values as the reference spells them, no unknown keys.</summary>
    public static JsonSerializerOptions Settings { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    private static readonly (string Section, Type Type)[] Sections =
    [
        ("model", typeof(ModelOptions)), ("loss", typeof(LossWeights)), ("train", typeof(TrainOptions)),
        ("data", typeof(DataOptions)),
    ];

    public static string Serialize(RunOptions options) => JsonSerializer.Serialize(options, Settings);

    /// <exception cref="ArgumentException">The text is not valid options JSON; the message says where.</exception>
    public static RunOptions Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<RunOptions>(json, Settings)
                ?? throw new ArgumentException($"{source} holds no options.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source} is not a valid options file: {e.Message}", e);
        }
    }

    /// <summary>
    /// <paramref name="start"/> with the values of a config file laid over it. The file may name any
    /// subset of options, e.g. <c>{"model": {"ngf": 32}, "train": {"lr": 0.0001}}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable, or names an unknown option.</exception>
    public static RunOptions ApplyFile(RunOptions start, string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"Config file '{path}' does not exist.");
        JsonNode? overlay;
        try
        {
            overlay = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Config file '{path}' is not valid JSON: {e.Message}", e);
        }
        if (overlay is not JsonObject objectOverlay)
            throw new ArgumentException($"Config file '{path}' must hold a JSON object of option sections.");
        var merged = JsonSerializer.SerializeToNode(start, Settings)!.AsObject();
        Merge(merged, objectOverlay);
        return Deserialize(merged.ToJsonString(), $"Config file '{path}'");
    }

    /// <summary>Every option that has a flag, with its section, JSON key and property.</summary>
    public static IReadOnlyList<OptionFlag> Flags { get; } = Sections
        .SelectMany(s => s.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<FlagAttribute>() is not null)
            .Select(p => new OptionFlag(p.GetCustomAttribute<FlagAttribute>()!, s.Section,
                JsonNamingPolicy.CamelCase.ConvertName(p.Name), p)))
        .ToList();

    /// <summary>
    /// <paramref name="start"/> with options set by flag name (dashes or underscores, any case:
    /// <c>lambda_L1</c>, <c>lambda-l1</c>). Booleans take "true"/"false".
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An unknown flag or a value of the wrong kind; the message names it.
    /// </exception>
    public static RunOptions ApplyFlags(RunOptions start, IEnumerable<KeyValuePair<string, string>> values)
    {
        var merged = JsonSerializer.SerializeToNode(start, Settings)!.AsObject();
        foreach (var (name, text) in values)
        {
            var flag = Find(name) ?? throw new ArgumentException(
                $"Unknown option --{name}. See --help for the list of options.");
            merged[flag.Section]![flag.JsonKey] = flag.Parse(text);
        }
        return Deserialize(merged.ToJsonString(), "The command-line options");
    }

    /// <summary>The flag called <paramref name="name"/> (dashes or underscores, any case), or null.</summary>
    public static OptionFlag? Find(string name) =>
        Flags.FirstOrDefault(f => OptionFlag.Normalize(f.Attribute.Name) == OptionFlag.Normalize(name));

    /// <summary>The token an enum value is written as in JSON and on the command line.</summary>
    public static string Token(Enum value) => JsonSerializer.Serialize(value, value.GetType(), Settings).Trim('"');

    private static void Merge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject child && target[key] is JsonObject existing) Merge(existing, child);
            else target[key] = value?.DeepClone();
        }
    }
}
