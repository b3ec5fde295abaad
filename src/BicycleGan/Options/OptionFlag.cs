using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace BicycleGan.Options;

/// <summary>
/// One settable option: its flag, where it lives in <see cref="RunOptions"/>, and how to read a value.
/// </summary>
public sealed record OptionFlag(FlagAttribute Attribute, string Section, string JsonKey, PropertyInfo Property)
{
    /// <summary>Possible values of an enum option, as they are written.</summary>
    public IReadOnlyList<string> Choices => Property.PropertyType.IsEnum
        ? Enum.GetValues(Property.PropertyType).Cast<Enum>().Select(OptionsJson.Token).ToList()
        : [];

    /// <summary>The option's value in <paramref name="options"/>, as it would be typed.</summary>
    public string Format(RunOptions options)
    {
        object section = Section switch
        {
            "model" => options.Model,
            "loss" => options.Loss,
            "train" => options.Train,
            _ => options.Data,
        };
        return Property.GetValue(section) switch
        {
            Enum e => OptionsJson.Token(e),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other?.ToString() ?? "",
        };
    }

    /// <exception cref="ArgumentException">The text is not a value of this option's kind.</exception>
    public JsonNode Parse(string text)
    {
        var type = Property.PropertyType;
        var culture = CultureInfo.InvariantCulture;
        if (type == typeof(string)) return JsonValue.Create(text);
        if (type == typeof(bool) && bool.TryParse(text, out bool b)) return JsonValue.Create(b);
        if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, culture, out int i))
            return JsonValue.Create(i);
        if (type == typeof(long) && long.TryParse(text, NumberStyles.Integer, culture, out long l))
            return JsonValue.Create(l);
        if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, culture, out double d)
            && double.IsFinite(d))
            return JsonValue.Create(d);
        if (type.IsEnum)
        {
            var match = Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return JsonValue.Create(match)!;
            throw new ArgumentException(
                $"Option --{Attribute.Name} takes one of {string.Join(", ", Choices)}, not '{text}'.");
        }
        string kind = type == typeof(bool) ? "true or false" : type == typeof(double) ? "a number" : "a whole number";
        throw new ArgumentException($"Option --{Attribute.Name} takes {kind}, not '{text}'.");
    }

    /// <summary>Flags compare without case, with '_' and '-' alike (the reference spells them with '_').</summary>
    public static string Normalize(string name) => name.TrimStart('-').Replace('_', '-').ToLowerInvariant();
}
