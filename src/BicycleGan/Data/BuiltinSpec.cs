using System.Globalization;

namespace BicycleGan.Data;

/// <summary>
/// A parsed built-in dataset name: <c>NAME</c> or <c>NAME?key=value&amp;key=value</c>, for example
/// <c>shapes?size=32&amp;train=500</c>. Unknown names and keys are errors, never ignored.
/// </summary>
internal sealed class BuiltinSpec
{
    private static readonly string[] Splits = ["train", "val", "test"];
    private readonly Dictionary<string, string> _values;

    private BuiltinSpec(string name, Dictionary<string, string> values)
    {
        Name = name;
        _values = values;
    }

    public string Name { get; }

    public static BuiltinSpec Parse(string text, IReadOnlyDictionary<string, string[]> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(DatasetFactory.BuiltinPrefix, StringComparison.Ordinal))
            text = text[DatasetFactory.BuiltinPrefix.Length..];
        string[] parts = text.Split('?', 2);
        string name = parts[0];
        if (!knownKeys.TryGetValue(name, out string[]? keys))
        {
            throw new DatasetException($"There is no built-in dataset '{name}'; the built-in datasets "
                + $"are {string.Join(", ", knownKeys.Keys)}.");
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string query = parts.Length > 1 ? parts[1] : "";
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            if (kv.Length != 2 || Array.IndexOf(keys, kv[0]) < 0)
            {
                throw new DatasetException($"Built-in dataset '{name}' does not understand '{pair}'; "
                    + $"it takes {string.Join(", ", keys.Select(k => k + "=…"))}.");
            }
            values[kv[0]] = kv[1];
        }
        return new BuiltinSpec(name, values);
    }

    public string Text(string key, string fallback) => _values.GetValueOrDefault(key, fallback);

    public int Int(string key, int fallback, int min)
    {
        if (!_values.TryGetValue(key, out string? text)) return fallback;
        bool parsed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value);
        if (!parsed || value < min)
        {
            throw new DatasetException($"Built-in dataset '{Name}' needs {key} to be a whole number of at "
                + $"least {min}, not '{text}'.");
        }
        return value;
    }

    /// <summary>0 for train, 1 for val, 2 for test.</summary>
    public static int SplitNumber(string split, string dataset)
    {
        int number = Array.IndexOf(Splits, split);
        if (number < 0)
        {
            throw new DatasetException($"Built-in dataset '{dataset}' has the splits train, val and test, "
                + $"not '{split}' (Phase).");
        }
        return number;
    }
}
