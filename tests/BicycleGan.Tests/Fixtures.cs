namespace BicycleGan.Tests;

/// <summary>Where the committed test fixtures are copied next to the test assembly.</summary>
internal static class Fixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
