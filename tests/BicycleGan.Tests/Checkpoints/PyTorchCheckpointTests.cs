using BicycleGan.Checkpoints;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

public sealed class PyTorchCheckpointTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PyTorchCheckpointTests() => TorchRuntime.Initialize(1);

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("tiny_zip.pth")]
    [InlineData("tiny_legacy.pth")]
    public void A_state_dict_saved_by_pytorch_reads_back_exactly_in_its_order(string file)
    {
        var expected = Fixtures.Expected("tiny_expected.json");

        using CheckpointTensors read = PyTorchCheckpoint.Read(Fixtures.Path(file));

        Assert.Equal(expected.Select(e => e.Name), read.Tensors.Keys);
        foreach (var (name, value) in expected)
        {
            TensorAssert.Identical(value, read.Tensors[name], name);
        }
    }

    [Fact]
    public void An_old_checkpoint_with_instance_norm_statistics_loads_into_a_module_without_them()
    {
        using var net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.InstanceNorm2d(4), nn.Linear(2, 3));

        string path = Fixtures.Path("instance_norm_legacy.pth");
        using CheckpointTensors read = PyTorchCheckpoint.Read(path);
        StateDictLoader.Load(net, read.Tensors, "instance_norm_legacy.pth");

        var expected = Fixtures.Expected("instance_norm_expected.json").ToDictionary();
        TensorAssert.Identical(expected["0.weight"], net.state_dict()["0.weight"].detach());
        TensorAssert.Identical(expected["2.bias"], net.state_dict()["2.bias"].detach());
    }

    [Theory]
    [InlineData("hostile_zip.pth")]
    [InlineData("hostile_legacy.pth")]
    [InlineData("hostile_raw.pkl")]
    public void A_pickle_that_would_run_a_shell_command_is_refused_and_runs_nothing(string file)
    {
        File.Delete(Fixtures.PwnedMarker);
        string path = Fixtures.Path(file);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        Assert.Equal(
            $"The file '{path}' refers to posix.system, which is not allowed in a state dict; "
            + "only tensors, their storages and dictionaries are, so the file was not loaded.",
            error.Message);
        Assert.False(File.Exists(Fixtures.PwnedMarker), "the payload ran");
    }

    [Theory]
    [InlineData("tiny_zip.pth")]
    [InlineData("tiny_legacy.pth")]
    public void A_truncated_file_is_refused_with_a_format_error(string file)
    {
        byte[] whole = File.ReadAllBytes(Fixtures.Path(file));
        foreach (int length in new[] { 0, 1, 10, whole.Length / 2, whole.Length - 1 })
        {
            string path = _folder.File($"cut{length}.pth");
            File.WriteAllBytes(path, whole[..length]);

            var error = Assert.Throws<CheckpointFormatException>(
                () => PyTorchCheckpoint.Read(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_supported_type_round_trips_through_the_writer_and_reader()
    {
        var tensors = SafeTensorsTests.EveryType();
        string path = _folder.File("all.pth");

        PyTorchCheckpoint.Write(path, tensors);
        using CheckpointTensors read = PyTorchCheckpoint.Read(path);

        Assert.Equal(tensors.Keys, read.Tensors.Keys);
        foreach (var (name, value) in tensors)
        {
            TensorAssert.Identical(value, read.Tensors[name], name);
        }
    }

    [Fact]
    public void A_strided_view_is_written_as_the_values_it_shows()
    {
        using Tensor matrix = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        using Tensor view = matrix[1.., 1..3].t();
        string path = _folder.File("view.pth");

        PyTorchCheckpoint.Write(path, new Dictionary<string, Tensor> { ["v"] = view });
        using CheckpointTensors read = PyTorchCheckpoint.Read(path);

        TensorAssert.Identical(view, read.Tensors["v"]);
    }

    [PyTorchFact]
    public void A_written_file_loads_in_pytorch_with_the_same_keys_types_and_values()
    {
        var tensors = SafeTensorsTests.EveryType();
        string path = _folder.File("for_torch.pth");
        PyTorchCheckpoint.Write(path, tensors);

        var loaded = Fixtures.Parse(RunPython(LoadAsJson, path));

        Assert.Equal(tensors.Keys, loaded.Select(t => t.Name));
        foreach (var (name, value) in loaded) TensorAssert.Identical(tensors[name], value, name);
    }

    /// <summary>
    /// torch.load with weights_only=True: PyTorch's own restricted unpickler accepts the file,
    /// which also shows it holds nothing but a state dict.
    /// </summary>
    private const string LoadAsJson = """
        import json, sys, torch
        sd = torch.load(sys.argv[1], weights_only=True)
        assert type(sd).__name__ == "OrderedDict", type(sd)
        print(json.dumps({k: {"dtype": str(t.dtype)[6:], "shape": list(t.shape),
                              "values": t.flatten().tolist()} for k, t in sd.items()}))
        """;

    private static byte[] RunPython(string code, string argument)
    {
        var start = new System.Diagnostics.ProcessStartInfo(PyTorchFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        start.ArgumentList.Add(argument);
        using var python = System.Diagnostics.Process.Start(start)!;
        Task<string> errors = python.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        python.StandardOutput.BaseStream.CopyTo(output);
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"PyTorch could not load the file: {errors.Result}");
        return output.ToArray();
    }
}
