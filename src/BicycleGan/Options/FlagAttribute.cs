namespace BicycleGan.Options;

/// <summary>
/// Names an option's command-line flag (the reference's name where it has one) and says in a
/// few words what it does. Every settable option carries one, so `--help` can list them all
/// with their defaults, and a config file and the flags set exactly the same things.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FlagAttribute(string name, string help) : Attribute
{
    /// <summary>The flag without dashes, e.g. <c>lambda-l1</c>.</summary>
    public string Name { get; } = name;

    public string Help { get; } = help;
}
