using BicycleGan.Options;
using BicycleGan.Reports;
using BicycleGan.Tests.Training;
using BicycleGan.Training;

namespace BicycleGan.Tests.Reports;

public sealed class TrainingReportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bicyclegan-report-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_run_with_a_report_leaves_tensorboard_events_a_loss_plot_and_a_sample_page()
    {
        var options = TrainingRunTests.TinyRun(4) with { };
        options = options with { Train = options.Train with { DisplayFreq = 2, PrintFreq = 1 } };
        var folder = new RunFolder(Path.Combine(_root, "run"));
        var data = TrainingRunTests.Shapes(options);
        var report = new TrainingReport(folder, options.Train, data)
        {
            Sampling = new SamplingOptions { Inputs = 2, Samples = 2, Sync = true },
        };
        new TrainingRun(options, folder, observer: report).Run(data);

        Assert.NotEmpty(Directory.GetFiles(folder.Root, "events.out.tfevents.*"));
        var png = File.ReadAllBytes(Path.Combine(folder.Root, "losses.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        string page = File.ReadAllText(Path.Combine(folder.SamplesFolder, "index.html"));
        Assert.Contains("Samples at step 4", page);
        Assert.Contains("input_001_random_sample02.png", page);
        Assert.True(File.Exists(Path.Combine(folder.SamplesFolder, "images", "input_000_encoded.png")));
    }
}
