namespace BicycleGan.Cli.Experiments;

/// <summary>How the ablation is run: every arm gets the same preset, steps, seed and protocol.</summary>
/// <param name="Out">Folder of the arms' runs and evaluations.</param>
/// <param name="Report">Folder EVALUATION.md and its images (under evaluation/) are written to.</param>
/// <param name="Preset">The preset every arm trains.</param>
/// <param name="Steps">Training steps of every arm: the equal budget.</param>
/// <param name="Seed">Seed of init, data order and z in training, and of the evaluation.</param>
/// <param name="Inputs">Held-out inputs evaluated.</param>
/// <param name="Samples">Random samples per input.</param>
/// <param name="Arms">The arms, in report order.</param>
internal sealed record AblationSettings(string Out, string Report, string Preset, long Steps, int Seed,
    int Inputs, int Samples, IReadOnlyList<AblationArm> Arms)
{
    /// <summary>The data every arm trains and is scored on: the only set with known modes.</summary>
    public const string Data = "builtin:shapes";

    /// <summary>Rows of the sample grids in the report.</summary>
    public const int GridInputs = 6;

    /// <summary>The command that reruns this experiment.</summary>
    public string Command => $"./bicyclegan experiment --out {Out} --report {Report} --preset {Preset} "
        + $"--steps {Steps} --seed {Seed} --inputs {Inputs} --samples {Samples}"
        + (Arms.SequenceEqual(AblationArm.All) ? "" : $" --arms {string.Join(',', Arms.Select(a => a.Name))}");

    /// <summary>The settings that must match for an earlier run of an arm to be reused, as text.</summary>
    public string Fingerprint => $"preset {Preset}, steps {Steps}, seed {Seed}";
}
