using BicycleGan.Options;
using BicycleGan.Training;

namespace BicycleGan.Cli.Commands;

/// <summary>
/// Options for a run from the command line: preset ← config file ← flags; on resume the run
/// folder's saved options take the preset's place, so a resumed run continues as it was.
/// </summary>
internal static class RunOptionsFromCommandLine
{
    public static RunOptions Resolve(CommandLine line, RunFolder? resumeFrom)
    {
        string? presetName = line.Get("preset");
        RunOptions options = resumeFrom is { HoldsRun: true } && presetName is null
            ? resumeFrom.ReadOptions()
            : Presets.Get(presetName ?? Presets.Official256);
        if (line.Get("config") is { } config) options = OptionsJson.ApplyFile(options, config);

        var flags = line.Unread().Where(kv => OptionsJson.Find(kv.Key) is not null).ToList();
        options = OptionsJson.ApplyFlags(options, flags);
        line.MarkRead(flags.Select(kv => kv.Key));
        if (line.Unread().FirstOrDefault() is { Key: { } unknown })
            throw new UsageException($"Unknown option --{unknown}. See 'bicyclegan {line.Verb} --help'.");
        return options.Validate();
    }

    /// <summary>The options whose value differs from the preset's, as flags.</summary>
    public static IEnumerable<string> Differences(RunOptions options)
    {
        RunOptions preset;
        try
        {
            preset = Presets.Get(options.Preset).Validate();
        }
        catch (ArgumentException)
        {
            yield break;
        }
        foreach (var flag in OptionsJson.Flags)
        {
            string value = flag.Format(options);
            if (value != flag.Format(preset)) yield return $"--{flag.Attribute.Name} {value}";
        }
    }

    /// <summary>Every option with its value under <paramref name="defaults"/>, grouped by section.</summary>
    public static void WriteOptionTable(TextWriter output, RunOptions defaults)
    {
        foreach (var section in OptionsJson.Flags.GroupBy(f => f.Section))
        {
            output.WriteLine($"  {section.Key} options:");
            foreach (var flag in section)
            {
                string name = $"--{flag.Attribute.Name} {flag.Format(defaults)}";
                output.WriteLine($"    {name,-34} {flag.Attribute.Help}");
            }
        }
    }
}
