using System.Diagnostics;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using BicycleGan.Tests.Reference;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>
/// Official-layout checkpoints imported with <see cref="PyTorchInterop"/> must compute what
/// PyTorch 1.13 computed with the same files (tests/reference/make_parity_fixtures.py), and a
/// model exported again must hold the very tensors it imported.
/// </summary>
public sealed class PyTorchParityTests(ParityFixture parity) : IClassFixture<ParityFixture>
{
    // Measured on CPU with one thread: G within 8e-7, E within 4e-7, D and D2 bit-exact. The
    // bound leaves room for other kernels and thread counts and is still far below one grey
    // level (1 / 127.5); the 8-bit test shows the few values that do cross a rounding boundary.
    private const double Tolerance = 1e-4;

    private static readonly string[] StaleStatistics =
        ["running_mean", "running_var", "num_batches_tracked"];

    private Tensor Expected(string name) => parity.Expected.Tensors[name];

    [Fact]
    public void The_edges_pair_decodes_to_exactly_the_tensors_PyTorch_was_given()
    {
        using Tensor a = ToTensor(parity.Sample.Input);
        using Tensor b = ToTensor(parity.Sample.GroundTruth!);

        TensorAssert.Identical(Expected("real_A")[0], a, "A (gray, from the left half)");
        TensorAssert.Identical(Expected("real_B")[0], b, "B (colour, from the right half)");
    }

    [Fact]
    public void The_z_file_gives_exactly_the_codes_PyTorch_used()
    {
        using Tensor codes = tensor(parity.Sample.Codes.SelectMany(c => c).ToArray(), [3, 8]);

        TensorAssert.Identical(Expected("z"), codes, "z");
    }

    [Fact]
    public void Imported_G_draws_PyTorchs_sample_for_each_code()
    {
        var samples = parity.Sample.Samples;
        Assert.Equal(3, samples.Count);

        for (int k = 0; k < samples.Count; k++)
        {
            using Tensor ours = ToTensor(samples[k]);
            ReferenceCase.AssertClose(Expected("fake_B")[k], ours, Tolerance, $"sample {k + 1}");
        }
        // the codes matter: a G that ignored z would pass the comparison above with any z
        using Tensor first = ToTensor(samples[0]), second = ToTensor(samples[1]);
        float apart = (first - second).abs().mean().item<float>();
        Assert.True(apart > 0.1f, $"samples 1 and 2 differ by only {apart} on average");
    }

    [Fact]
    public void Samples_saved_as_PNG_hold_PyTorchs_bytes_within_one_grey_level()
    {
        for (int k = 0; k < parity.Sample.Samples.Count; k++)
        {
            byte[] png = ImageCodec.EncodePng(parity.Sample.Samples[k]);
            HostImage read = ImageCodec.Decode(png, $"sample {k + 1}", channels: 3);
            byte[] ours = [.. read.Data.Select(ImageCodec.ToByte)];

            using Tensor expected = Expected("fake_B_bytes")[k].flatten().to(ScalarType.Int32);
            using Tensor difference = (tensor(ours).to(ScalarType.Int32) - expected).abs();
            Assert.True(difference.max().item<int>() <= 1, $"sample {k + 1} is off by more than 1");
            // only values within 1e-4 of a rounding boundary may land on the other side
            long off = difference.count_nonzero().item<long>();
            Assert.True(off < ours.Length / 1000, $"sample {k + 1}: {off} bytes differ");
        }
    }

    [Fact]
    public void Imported_E_encodes_B_to_PyTorchs_mu_and_logvar()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();

        var (mu, logVar) = parity.Model.E!.call(Expected("real_B"));

        ReferenceCase.AssertClose(Expected("mu"), mu, Tolerance, "mu");
        ReferenceCase.AssertClose(Expected("logvar"), logVar, Tolerance, "logvar");
        // the encoded sample of the page uses this mu as its code
        ReferenceCase.AssertClose(
            Expected("mu")[0], tensor(parity.Sample.EncodedCode!), Tolerance, "sampler's mu");
    }

    [Theory]
    [InlineData("D")]
    [InlineData("D2")]
    public void Imported_discriminators_give_PyTorchs_patch_maps_at_both_scales(string name)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var discriminator = name == "D" ? parity.Model.D : parity.Model.D2;

        Tensor[] maps = discriminator!.call(Expected("real_B"));

        Assert.Equal(2, maps.Length);
        Assert.Equal(new long[] { 1, 1, 30, 30 }, maps[0].shape);
        Assert.Equal(new long[] { 1, 1, 14, 14 }, maps[1].shape);
        for (int i = 0; i < maps.Length; i++)
        {
            ReferenceCase.AssertClose(
                Expected($"{name}.{i}"), maps[i], Tolerance, $"{name} scale {i}");
        }
    }

    [Fact]
    public void The_stale_instance_norm_statistics_of_the_legacy_E_file_are_ignored()
    {
        string path = ParityFixture.PthFile("E");
        using (FileStream stream = File.OpenRead(path))
        {
            // the pre-1.6 format opens with a pickle (PROTO, 0x80), a zip archive with "PK"
            Assert.Equal(0x80, stream.ReadByte());
        }
        using CheckpointTensors file = PyTorchCheckpoint.Read(path);
        var stale = file.Tensors.Keys.Where(IsStale).ToList();

        // two InstanceNorm layers in each of the four residual blocks, three statistics each
        Assert.Equal(24, stale.Count);
        Assert.Contains("conv.1.conv.0.running_mean", stale);
        Assert.Contains("conv.4.conv.3.num_batches_tracked", stale);
        var imported = parity.Model.E!.state_dict();
        Assert.Equal(file.Tensors.Keys.Except(stale), imported.Keys);
        foreach (var (key, value) in imported)
        {
            using Tensor weights = value.detach();
            TensorAssert.Identical(file.Tensors[key], weights, key);
        }
    }

    [Theory]
    [InlineData("missing", "1 key is missing (model_1.11.bias)")]
    [InlineData("unexpected", "1 key is unexpected (model_1.12.weight)")]
    [InlineData("reshaped", "model_0.2.weight: expected shape [16, 8, 4, 4], found [16, 8, 3, 3]")]
    public void A_D_file_that_does_not_fit_is_refused_naming_the_key(string change, string named)
    {
        using CheckpointTensors original = PyTorchCheckpoint.Read(ParityFixture.PthFile("D"));
        var tensors = new Dictionary<string, Tensor>(original.Tensors);
        using Tensor extra = zeros(1), reshaped = zeros(16, 8, 3, 3);
        if (change == "missing") tensors.Remove("model_1.11.bias");
        if (change == "unexpected") tensors["model_1.12.weight"] = extra;
        if (change == "reshaped") tensors["model_0.2.weight"] = reshaped;
        string path = parity.Scratch($"latest_net_D_{change}.pth");
        PyTorchCheckpoint.Write(path, tensors);
        var files = ParityFixture.NetworkNames.ToDictionary(n => n, ParityFixture.PthFile);
        files["D"] = path;

        var error = Assert.Throws<CheckpointFormatException>(
            () => PyTorchInterop.Import(ParityFixture.Options, files));

        Assert.Contains(named, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void The_cli_exports_exactly_the_tensors_it_imported_in_the_official_order()
    {
        Assert.Equal(
            ParityFixture.NetworkNames.Select(n => $"latest_net_{n}.pth").Order(),
            new DirectoryInfo(parity.Exported).GetFiles().Select(f => f.Name).Order());
        foreach (string name in ParityFixture.NetworkNames)
        {
            using CheckpointTensors original = PyTorchCheckpoint.Read(ParityFixture.PthFile(name));
            using CheckpointTensors exported = PyTorchCheckpoint.Read(
                Path.Combine(parity.Exported, $"latest_net_{name}.pth"));

            Assert.Equal(original.Tensors.Keys.Where(k => !IsStale(k)), exported.Tensors.Keys);
            foreach (var (key, value) in exported.Tensors)
            {
                TensorAssert.Identical(original.Tensors[key], value, $"{name} {key}");
            }
        }
    }

    [PyTorchFact]
    public void PyTorch_loads_the_exported_files_strictly_into_the_reference_networks()
    {
        string output = RunPython(
            StrictLoad, ReferenceFolder(), parity.Exported, Path.GetDirectoryName(
                ParityFixture.PthFile("G"))!);

        Assert.Equal("G 32, E 30, D 20, D2 20 tensors equal", output.Trim());
    }

    /// <summary>
    /// Builds the reference networks at width 8, loads each exported file with strict=True
    /// (every key present, none extra, shapes equal) and compares it with the imported file.
    /// </summary>
    private const string StrictLoad = """
        import sys, torch
        sys.path.insert(0, sys.argv[1])
        import bicyclegan_reference as ref
        exported, fixtures = sys.argv[2], sys.argv[3]
        nets = dict(G=ref.UnetGenerator(1, 3, 8, 8, 8, 'instance', 'relu', 'basic', 'all'),
                    E=ref.ResnetEncoder(3, 8, 8, 5, 'instance'),
                    D=ref.PatchDiscriminator(3, 8, 3, 'instance', 2),
                    D2=ref.PatchDiscriminator(3, 8, 3, 'instance', 2))
        counts = []
        for name, net in nets.items():
            sd = torch.load(f'{exported}/latest_net_{name}.pth', weights_only=True)
            net.load_state_dict(sd, strict=True)
            original = torch.load(f'{fixtures}/latest_net_{name}.pth')
            assert all(torch.equal(v, original[k]) for k, v in net.state_dict().items()), name
            counts.append(f'{name} {len(sd)}')
        print(', '.join(counts) + ' tensors equal')
        """;

    private static bool IsStale(string key) =>
        StaleStatistics.Contains(key[(key.LastIndexOf('.') + 1)..]);

    private static Tensor ToTensor(HostImage image) =>
        tensor(image.Data, [image.Channels, image.Height, image.Width]);

    /// <summary>tests/reference in the source tree, found upwards from the test assembly.</summary>
    private static string ReferenceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null;
             dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "reference");
            if (File.Exists(Path.Combine(candidate, "bicyclegan_reference.py"))) return candidate;
        }
        throw new InvalidOperationException(
            "tests/reference/bicyclegan_reference.py was not found above the test assembly.");
    }

    private static string RunPython(string code, params string[] arguments)
    {
        var start = new ProcessStartInfo(PyTorchFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var python = Process.Start(start)!;
        Task<string> errors = python.StandardError.ReadToEndAsync();
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"PyTorch refused the exported files: {errors.Result}");
        return output;
    }
}
