using System.Globalization;

namespace BicycleGan.Training;

/// <summary>
/// <c>losses.csv</c>: one row per logged step with the reference's loss names as columns. On
/// resume, rows past the checkpoint are dropped, since those steps are about to be taken again,
/// and so is a row torn by a crash.
/// </summary>
public sealed class LossLog
{
    private readonly string _path;

    public LossLog(string path, long resumedAtStep)
    {
        _path = path;
        string[] columns = ["step", "epoch", "lr", .. StepLosses.Names, "seconds"];
        // A process killed mid-append leaves a torn last row: only whole rows are kept.
        var kept = File.Exists(_path)
            ? File.ReadLines(_path).Skip(1)
                .Where(line => line.Split(',').Length == columns.Length)
                .Where(line => StepOf(line) is long s && s <= resumedAtStep).ToList()
            : [];
        // Rewritten atomically, so a kill during the rewrite cannot lose the rows kept.
        string text = string.Join("\n", [string.Join(",", columns), .. kept]) + "\n";
        Checkpoints.AtomicFile.WriteAllBytes(_path, System.Text.Encoding.UTF8.GetBytes(text));
    }

    public void Append(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var fields = new List<string>
        {
            p.Step.ToString(c), p.Epoch.ToString(c), p.LearningRate.ToString("G6", c),
        };
        fields.AddRange(p.Losses.Values.Select(v => v.ToString("G7", c)));
        fields.Add(p.Elapsed.TotalSeconds.ToString("F1", c));
        File.AppendAllLines(_path, [string.Join(",", fields)]);
    }

    private static long? StepOf(string line)
    {
        int comma = line.IndexOf(',');
        return comma > 0 && long.TryParse(line.AsSpan(0, comma), CultureInfo.InvariantCulture, out long step)
            ? step
            : null;
    }
}
