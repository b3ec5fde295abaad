namespace BicycleGan.Training;

/// <summary>
/// A run folder cannot be trained into: it cannot be created or written, its disk lacks room
/// for the checkpoints, or another process is training into it. The message is a whole
/// sentence naming the folder and what to do.
/// </summary>
public sealed class RunFolderException : Exception
{
    /// <summary>Creates the exception for <paramref name="folder"/>.</summary>
    public RunFolderException(string folder, string message, Exception? inner = null)
        : base(message, inner)
    {
        Folder = folder;
    }

    /// <summary>The run folder at fault.</summary>
    public string Folder { get; }

    /// <summary>The process training into the folder, when that was the problem and it is known.</summary>
    public int? HolderPid { get; init; }
}
