using BicycleGan.Checkpoints;
using BicycleGan.Training;

namespace BicycleGan.Tests.Training;

/// <summary>
/// Before a step is taken the run folder must be writable, have room for two checkpoints and be
/// free of other training processes; a refused run changes nothing in the folder.
/// </summary>
public sealed class RunFolderSafetyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-folder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_folder_locked_by_another_run_is_refused_naming_the_folder_and_the_holders_PID()
    {
        var folder = new RunFolder(Path.Combine(_root, "busy"));
        Directory.CreateDirectory(folder.Root);
        var options = TrainingRunTests.TinyRun(2);

        using (RunLock.Acquire(folder))
        {
            var error = Assert.Throws<RunFolderException>(
                () => new TrainingRun(options, folder).Run(TrainingRunTests.Shapes(options)));

            Assert.Equal(Environment.ProcessId, error.HolderPid);
            Assert.Contains($"Run folder '{folder.Root}' is in use: process {Environment.ProcessId}", error.Message);
            Assert.False(folder.HoldsRun, "a refused run must not write its options");
        }

        Assert.Equal(2, new TrainingRun(options, folder).Run(TrainingRunTests.Shapes(options)).Steps);
    }

    [Fact]
    public void The_lock_is_released_when_the_run_ends_even_by_an_exception()
    {
        var folder = new RunFolder(Path.Combine(_root, "released"));
        var options = TrainingRunTests.TinyRun(4);
        var failing = new TrainingRun(options, folder) { PoisonLoss = (step, _) => step == 2 };
        Assert.Throws<NonFiniteLossException>(() => failing.Run(TrainingRunTests.Shapes(options)));

        using var again = RunLock.Acquire(folder);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            File.ReadLines(folder.LockOwnerFile).First());
    }

    [Fact]
    public void A_disk_without_room_for_two_checkpoints_is_refused_before_the_folder_changes()
    {
        var folder = new RunFolder(Path.Combine(_root, "full"));
        var options = TrainingRunTests.TinyRun(2);
        var run = new TrainingRun(options, folder) { FreeBytes = _ => 1000 };

        var error = Assert.Throws<RunFolderException>(() => run.Run(TrainingRunTests.Shapes(options)));

        Assert.Contains($"Run folder '{folder.Root}' is on a disk with 0.0 MB free", error.Message);
        Assert.Contains("Free some space or choose another --out folder.", error.Message);
        Assert.False(folder.HoldsRun);
        Assert.False(Directory.Exists(folder.CheckpointsFolder));
    }

    [Fact]
    public void Room_for_exactly_two_estimated_checkpoints_is_enough_and_the_estimate_covers_a_real_one()
    {
        var folder = new RunFolder(Path.Combine(_root, "tight"));
        var options = TrainingRunTests.TinyRun(2);
        long estimate;
        TestNets.Seed();
        using (var model = BicycleGanModel.Create(options.Model, options.Train.Variant, options.Loss))
            estimate = TrainingRun.CheckpointBytes(model);
        var run = new TrainingRun(options, folder) { FreeBytes = _ => 2 * estimate };

        Assert.Equal(2, run.Run(TrainingRunTests.Shapes(options)).Steps);

        // Weights and Adam moments dominate; headers, JSON and the RNG state are the rest.
        long written = Directory.GetFiles(folder.Latest).Sum(f => new FileInfo(f).Length);
        long tensors = Directory.GetFiles(folder.Latest, "*_*.*").Sum(f => new FileInfo(f).Length);
        Assert.InRange(estimate, tensors * 0.8, written * 1.2);
    }

    [Fact]
    public void A_run_folder_that_cannot_be_created_is_refused_with_its_name()
    {
        string file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a folder");
        var folder = new RunFolder(Path.Combine(file, "run"));
        var options = TrainingRunTests.TinyRun(2);

        var error = Assert.Throws<RunFolderException>(
            () => new TrainingRun(options, folder).Run(TrainingRunTests.Shapes(options)));

        Assert.StartsWith($"Run folder '{folder.Root}' cannot be created:", error.Message);
    }

    [Fact]
    public void Overwriting_still_needs_to_be_asked_for()
    {
        var folder = new RunFolder(Path.Combine(_root, "kept"));
        var options = TrainingRunTests.TinyRun(2);
        new TrainingRun(options, folder).Run(TrainingRunTests.Shapes(options));
        byte[] weights = File.ReadAllBytes(Path.Combine(folder.Latest, "net_G.safetensors"));

        Assert.Throws<InvalidOperationException>(
            () => new TrainingRun(options, folder).Run(TrainingRunTests.Shapes(options)));

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(folder.Latest, "net_G.safetensors")));
        Assert.True(AtomicDirectory.IsComplete(folder.Latest));
    }
}
