using System.Text.Json;
using BicycleGan.Checkpoints;
using BicycleGan.Options;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Reference;

/// <summary>
/// One golden case written by tests/reference/bicyclegan_reference.py: the PyTorch network's
/// weights under a prefix, its inputs and outputs, and its configuration as JSON metadata.
/// </summary>
internal sealed class ReferenceCase : IDisposable
{
    private readonly CheckpointTensors _file;

    public ReferenceCase(string name)
    {
        _file = SafeTensors.Read(Fixtures.File("reference", name + ".safetensors"));
        Config = JsonDocument.Parse(_file.Metadata["config"]).RootElement;
    }

    public JsonElement Config { get; }

    public Tensor this[string name] => _file.Tensors[name];

    public bool Has(string name) => _file.Tensors.ContainsKey(name);

    /// <summary>Copies the tensors stored under <paramref name="prefix"/> into the network's state.</summary>
    public void LoadInto(nn.Module network, string prefix)
    {
        using var _ = no_grad();
        foreach (var (key, target) in network.state_dict())
        {
            Assert.True(_file.Tensors.ContainsKey(prefix + key), $"the reference has no {prefix + key}");
            var source = _file.Tensors[prefix + key];
            Assert.True(target.numel() == source.numel(),
                $"{prefix + key}: ours ({string.Join(",", target.shape)}), " +
                $"reference ({string.Join(",", source.shape)})");
            target.copy_(source.reshape(target.shape).to(target.dtype));
        }
    }

    /// <summary>Model options equivalent to a case's network config (keys as the reference names them).</summary>
    public static ModelOptions Options(JsonElement c, ModelOptions? start = null)
    {
        var o = start ?? new ModelOptions();
        string net = c.GetProperty("net").GetString()!;
        int Int(string key, int fallback) => c.TryGetProperty(key, out var v) ? v.GetInt32() : fallback;
        string Str(string key, string fallback) => c.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        o = o with
        {
            Nz = Int("nz", o.Nz),
            Ngf = Int("ngf", o.Ngf),
            Nef = Int("nef", o.Nef),
            Ndf = Int("ndf", o.Ndf),
            NumDowns = Int("num_downs", o.NumDowns),
            Norm = Str("norm", "instance") switch
            {
                "batch" => NormKind.Batch, "none" => NormKind.None, _ => NormKind.Instance,
            },
            DecoderActivation = Str("nl", "relu") switch
            {
                "lrelu" => Activation.LeakyRelu, "elu" => Activation.Elu, _ => Activation.Relu,
            },
            Upsample = Str("upsample", "basic") == "bilinear" ? Upsampling.Bilinear : Upsampling.Basic,
            WhereAddZ = Str("where_add", "all") == "input" ? WhereAddZ.Input : WhereAddZ.All,
            DiscriminatorLayers = Int("n_layers", o.DiscriminatorLayers),
            NumDs = Int("num_D", o.NumDs),
        };
        return net switch
        {
            "unet" or "small_generator" => o with
            {
                Generator = net == "unet" ? GeneratorKind.Unet : GeneratorKind.Small,
                InputChannels = Int("input_nc", o.InputChannels),
                OutputChannels = Int("output_nc", o.OutputChannels),
            },
            "resnet_encoder" => o with
            {
                Encoder = EncoderKind.ResNet, OutputChannels = Int("input_nc", 3), EncoderBlocks = Int("n_blocks", 5),
            },
            "conv_encoder" => o with
            {
                Encoder = EncoderKind.Conv, OutputChannels = Int("input_nc", 3), EncoderBlocks = Int("n_layers", 5),
            },
            "small_encoder" => o with { Encoder = EncoderKind.Small, OutputChannels = Int("input_nc", 3) },
            // D's input is B (3) or A|B: for 4 channels, a conditional D over 1-channel A and 3-channel B.
            "patch_discriminator" => Int("input_nc", 3) == 3
                ? o with { OutputChannels = 3, ConditionalD = false }
                : o with { InputChannels = Int("input_nc", 3) - 3, OutputChannels = 3, ConditionalD = true },
            _ => throw new InvalidOperationException($"Unknown reference net {net}."),
        };
    }

    /// <summary>
    /// Asserts two tensors agree within an absolute tolerance, with the worst difference in the message.
    /// </summary>
    public static void AssertClose(Tensor expected, Tensor actual, double atol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double worst = (expected - actual).abs().max().item<float>();
        Assert.True(worst <= atol, $"{what}: max |difference| {worst:G3} exceeds {atol:G3}");
    }

    public void Dispose() => _file.Dispose();
}
