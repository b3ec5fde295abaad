using BicycleGan.Options;

namespace BicycleGan.Training;

/// <summary>The files of one run folder (DESIGN.md), in one place.</summary>
public sealed class RunFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Every resolved option, saved when the run starts.</summary>
    public string OptionsFile => Path.Combine(Root, "options.json");

    public string LossesFile => Path.Combine(Root, "losses.csv");

    public string CheckpointsFolder => Path.Combine(Root, "checkpoints");

    /// <summary>Written on the save-latest cadence, at the end, and on Ctrl+C.</summary>
    public string Latest => Path.Combine(CheckpointsFolder, "latest");

    /// <summary>Held locked by the process training here (see <see cref="RunLock"/>).</summary>
    public string LockFile => Path.Combine(Root, "run.lock");

    /// <summary>The PID, host and start time of the process that last took the lock.</summary>
    public string LockOwnerFile => Path.Combine(Root, "run.owner");

    public string SamplesFolder => Path.Combine(Root, "samples");

    /// <summary>Kept every save-epoch-freq epochs.</summary>
    public string EpochCheckpoint(int epoch) => Path.Combine(CheckpointsFolder, $"epoch_{epoch:D3}");

    /// <summary>True when a run has been started here before.</summary>
    public bool HoldsRun => File.Exists(OptionsFile);

    /// <summary>The options a previous run in this folder saved.</summary>
    public RunOptions ReadOptions() => OptionsJson.Deserialize(File.ReadAllText(OptionsFile), OptionsFile);
}
