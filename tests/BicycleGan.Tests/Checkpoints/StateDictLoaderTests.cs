using BicycleGan.Checkpoints;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

public sealed class StateDictLoaderTests
{
    public StateDictLoaderTests() => TorchRuntime.Initialize(1);

    /// <summary>Keys 0.weight, 0.bias, 2.weight, 2.bias; a plain InstanceNorm2d has none.</summary>
    private static nn.Module<Tensor, Tensor> SmallNet() =>
        nn.Sequential(nn.Conv2d(3, 4, 3), nn.InstanceNorm2d(4), nn.Linear(2, 3));

    private static Dictionary<string, Tensor> FilledLike(nn.Module module, float start) =>
        module.state_dict().ToDictionary(
            p => p.Key,
            p => arange(start, start + p.Value.numel()).reshape(p.Value.shape).to(p.Value.dtype));

    [Fact]
    public void Values_are_copied_into_the_existing_parameters_which_keep_requiring_gradients()
    {
        using var net = SmallNet();
        var before = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var weights = FilledLike(net, 1);

        StateDictLoader.Load(net, weights);

        foreach (var (name, parameter) in net.named_parameters())
        {
            Assert.Same(before[name], parameter);
            Assert.True(parameter.requires_grad, $"{name} lost requires_grad");
            TensorAssert.Identical(weights[name], parameter.detach(), name);
        }
    }

    [Fact]
    public void Buffers_such_as_batch_norm_statistics_are_loaded_too()
    {
        using var net = nn.Sequential(nn.BatchNorm2d(2));
        var weights = FilledLike(net, 5);

        StateDictLoader.Load(net, weights);

        TensorAssert.Identical(weights["0.running_var"], net.state_dict()["0.running_var"]);
    }

    [Fact]
    public void Missing_unexpected_and_misshapen_keys_are_all_named_in_one_error()
    {
        using var net = SmallNet();
        var weights = FilledLike(net, 1);
        weights.Remove("0.bias");
        weights["9.weight"] = ones(1);
        weights["2.weight"] = ones(2, 3);

        var error = Assert.Throws<StateDictMismatchException>(
            () => StateDictLoader.Load(net, weights, "net_G.pth"));

        Assert.Equal(["0.bias"], error.MissingKeys);
        Assert.Equal(["9.weight"], error.UnexpectedKeys);
        Assert.Equal(["2.weight: expected shape [3, 2], found [2, 3]"], error.Mismatches);
        Assert.StartsWith(
            "The weights from net_G.pth do not fit the module: 1 key is missing (0.bias)",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_mismatch_leaves_every_parameter_as_it_was()
    {
        using var net = SmallNet();
        using Tensor original = net.state_dict()["0.weight"].detach().clone();
        var weights = FilledLike(net, 1);
        weights["2.bias"] = ones(7);

        Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(net, weights));

        TensorAssert.Identical(original, net.state_dict()["0.weight"].detach());
    }

    [Fact]
    public void A_tensor_of_another_element_type_is_a_mismatch()
    {
        using var net = SmallNet();
        var weights = FilledLike(net, 1);
        weights["0.bias"] = weights["0.bias"].to(ScalarType.Float64);

        var error = Assert.Throws<StateDictMismatchException>(
            () => StateDictLoader.Load(net, weights));

        Assert.Equal(["0.bias: expected Float32, found Float64"], error.Mismatches);
    }

    [Fact]
    public void Running_statistics_of_an_instance_norm_from_old_checkpoints_are_ignored()
    {
        using var net = SmallNet();
        var weights = FilledLike(net, 1);
        weights["1.running_mean"] = zeros(4);
        weights["1.running_var"] = ones(4);
        weights["1.num_batches_tracked"] = tensor(0L);

        StateDictLoader.Load(net, weights);

        TensorAssert.Identical(weights["2.bias"], net.state_dict()["2.bias"].detach());
    }

    [Fact]
    public void Running_statistics_for_a_layer_that_is_not_an_instance_norm_are_unexpected()
    {
        using var net = SmallNet();
        var weights = FilledLike(net, 1);
        weights["0.running_mean"] = zeros(4);

        var error = Assert.Throws<StateDictMismatchException>(
            () => StateDictLoader.Load(net, weights));

        Assert.Equal(["0.running_mean"], error.UnexpectedKeys);
    }
}
