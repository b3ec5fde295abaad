using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Sampling;
using BicycleGan.Tests.Cli;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>
/// The files of tests/reference/make_parity_fixtures.py imported once, and the edges pair sampled
/// once through the real data and sampling path, shared by the parity tests (G at 256 px is the
/// slow part). The CLI round trip runs on first use only.
/// </summary>
public sealed class ParityFixture : IDisposable
{
    public static readonly string[] NetworkNames = ["G", "E", "D", "D2"];

    private readonly TempFolder _folder = new();
    private readonly Lazy<string> _exported;

    public ParityFixture()
    {
        TorchRuntime.Initialize(1);
        Expected = SafeTensors.Read(File("expected.safetensors"));
        Model = PyTorchInterop.Import(Options, NetworkNames.ToDictionary(n => n, PthFile));
        Model.Train(false);

        // the dataset reads root/<phase>/*.png; A is the left half, made gray with PIL's luma
        string split = Directory.CreateDirectory(_folder.File("test")).FullName;
        System.IO.File.Copy(File("edges_pair.png"), Path.Combine(split, "edges_pair.png"));
        var data = new DataOptions
        {
            Phase = "test", InputChannels = 1, OutputChannels = 3, Preprocess = PreprocessMode.None,
        };
        var sampling = new SamplingOptions { Inputs = 1, Samples = 3 };
        var codes = LatentCodes.FromFile(File("z.json"), Options.Nz);
        Sample = new Sampler(Model, sampling, codes)
            .SampleDataset(new AlignedDataset(_folder.Path, data)).Single();
        _exported = new Lazy<string>(ImportAndExportWithTheCli);
    }

    /// <summary>The official-256 preset at width 8 with edges2shoes' one-channel input.</summary>
    public static ModelOptions Options { get; } = Presets.Get(Presets.Official256).Model with
    {
        Ngf = 8, Nef = 8, Ndf = 8, InputChannels = 1,
    };

    /// <summary>real_A, real_B, z, fake_B, fake_B_bytes, mu, logvar, D.0, D.1, D2.0 and D2.1.
    /// </summary>
    public CheckpointTensors Expected { get; }

    public BicycleGanModel Model { get; }

    /// <summary>Input, ground truth, μ and the three z-file samples of the edges pair.</summary>
    public SampleSet Sample { get; }

    /// <summary>The folder `bicyclegan export --format pytorch` wrote after `import`.</summary>
    public string Exported => _exported.Value;

    public static string File(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", name);

    public static string PthFile(string network) => File($"latest_net_{network}.pth");

    public string Scratch(string name) => _folder.File(name);

    public void Dispose()
    {
        Model.Dispose();
        Expected.Dispose();
        _folder.Dispose();
    }

    private string ImportAndExportWithTheCli()
    {
        string run = _folder.File("run"), exported = _folder.File("exported");
        var import = CliRunner.Run(
            "import", "--from", "pytorch", "--G", PthFile("G"), "--E", PthFile("E"),
            "--D", PthFile("D"), "--D2", PthFile("D2"), "--preset", "official-256",
            "--ngf", "8", "--nef", "8", "--ndf", "8", "--input-nc", "1", "--out", run);
        Assert.True(import.ExitCode == 0, import.All);
        Assert.Contains("Imported G, E, D, D2", import.Out);

        var export = CliRunner.Run(
            "export", "--model", run, "--format", "pytorch", "--out", exported);
        Assert.True(export.ExitCode == 0, export.All);
        return exported;
    }
}
