namespace BicycleGan.Cli;

/// <summary>The user asked for something the command line does not take; the message says what to do instead.</summary>
internal sealed class UsageException(string message) : Exception(message);
