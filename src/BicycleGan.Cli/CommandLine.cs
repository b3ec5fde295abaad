namespace BicycleGan.Cli;

/// <summary>
/// A parsed command line: the verb, then <c>--name value</c> pairs. A flag followed by another
/// flag (or nothing) is a switch and reads as "true". Unknown or repeated flags are reported
/// by the command that reads them, with their names.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CommandLine(string verb, IReadOnlyList<string> positional)
    {
        Verb = verb;
        Positional = positional;
    }

    public string Verb { get; }

    /// <summary>Words after the verb that are not flags or their values (e.g. <c>data make shapes</c>).</summary>
    public IReadOnlyList<string> Positional { get; }

    public bool Verbose { get; private set; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string verb = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : "help";
        var positional = new List<string>();
        var pairs = new List<(string, string)>();
        for (int i = verb == "help" && (args.Count == 0 || args[0].StartsWith('-')) ? 0 : 1; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                if (arg.StartsWith('-') && arg != "-h")
                    throw new UsageException($"'{arg}' is not an option; options start with two dashes, e.g. --help.");
                positional.Add(arg == "-h" ? "--help" : arg);
                continue;
            }
            string name = arg[2..];
            string value = "true";
            int eq = name.IndexOf('=');
            if (eq > 0) (name, value) = (name[..eq], name[(eq + 1)..]);
            else if (i + 1 < args.Count && !IsFlag(args[i + 1])) value = args[++i];
            pairs.Add((Normalize(name), value));
        }
        var line = new CommandLine(verb, positional);
        foreach (var (name, value) in pairs)
        {
            if (name == "verbose") line.Verbose = value != "false";
            else if (!line._values.TryAdd(name, value))
                throw new UsageException($"Option --{name} is given twice.");
        }
        return line;
    }

    /// <summary>True when the flag was given (and marks it read).</summary>
    public bool Has(string name)
    {
        string key = Normalize(name);
        if (!_values.ContainsKey(key)) return false;
        _used.Add(key);
        return true;
    }

    public string? Get(string name)
    {
        string key = Normalize(name);
        if (!_values.TryGetValue(key, out var value)) return null;
        _used.Add(key);
        return value;
    }

    public string Require(string name, string what) =>
        Get(name) ?? throw new UsageException($"Missing --{name}: {what}.");

    public bool Switch(string name)
    {
        var value = Get(name);
        return value switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw new UsageException(
                $"Option --{name} is a switch; give it alone or as --{name}=false, not '{value}'."),
        };
    }

    public int Int(string name, int fallback)
    {
        var value = Get(name);
        if (value is null) return fallback;
        return int.TryParse(value, out int n) && n >= 0
            ? n
            : throw new UsageException($"Option --{name} takes a whole number ≥ 0, not '{value}'.");
    }

    /// <summary>Flags not read by any command so far, each once.</summary>
    public IEnumerable<KeyValuePair<string, string>> Unread() => _values.Where(kv => !_used.Contains(kv.Key));

    /// <summary>Marks flags as read (they were handed to the library's option table).</summary>
    public void MarkRead(IEnumerable<string> names)
    {
        foreach (var name in names) _used.Add(Normalize(name));
    }

    private static bool IsFlag(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2;

    private static string Normalize(string name) => BicycleGan.Options.OptionFlag.Normalize(name);
}
