using System.Text.Json;
using BicycleGan.Options;
using BicycleGan.Training;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Reference;

/// <summary>
/// Two full training steps (G+E update, then D/D2) from the same weights, data and noise as
/// PyTorch's reference step: the losses, the first step's gradients of every network, and the
/// weights after both steps must agree.
/// </summary>
public sealed class GoldenStepTests
{
    public GoldenStepTests() => TestNets.Seed();

    [Theory]
    [InlineData("step_bicycle_lsgan")]
    [InlineData("step_bicycle_vanilla_conditional_same_d")]
    public void Two_training_steps_match_PyTorch(string name)
    {
        using var golden = new ReferenceCase(name);
        var c = golden.Config;
        var options = Options(c);
        var train = new TrainOptions
        {
            GanMode = c.GetProperty("gan_mode").GetString() == "vanilla" ? GanMode.Vanilla : GanMode.LsGan,
            Lr = c.GetProperty("lr").GetDouble(),
            BatchSize = c.GetProperty("batch").GetInt32(),
        };
        var lambda = c.GetProperty("lambda");
        var weights = new LossWeights
        {
            Gan = lambda.GetProperty("GAN").GetDouble(),
            Gan2 = lambda.GetProperty("GAN2").GetDouble(),
            L1 = lambda.GetProperty("L1").GetDouble(),
            Kl = lambda.GetProperty("kl").GetDouble(),
            Z = lambda.GetProperty("z").GetDouble(),
        };
        using var model = BicycleGanModel.Create(options, train.Variant, weights);
        foreach (var (net, network) in model.Networks) golden.LoadInto(network, net + ".");

        // ε then z_random for each step, in the order the reference draws them.
        var noise = new Queue<Tensor>(new[] { "step0.eps", "step0.z_random", "step1.eps", "step1.z_random" }
            .Select(n => golden[n]));
        using var trainer = new Trainer(model, train, weights, (_, _) => noise.Dequeue().clone());

        var first = trainer.Step(golden["A"], golden["B"]);
        AssertLosses(golden, "step0", first, rtol: 1e-5);
        foreach (var (net, network) in model.Networks)
        {
            var grads = network.named_parameters().Where(p => golden.Has($"step0.grad.{net}.{p.name}"))
                .Select(p => (p.name, Expected: golden[$"step0.grad.{net}.{p.name}"], Actual: p.parameter.grad!))
                .ToList();
            if (grads.Count == 0) continue;
            double networkScale = grads.Max(g => g.Expected.abs().max().item<float>());
            foreach (var (key, expected, actual) in grads)
            {
                // A conv bias right before an InstanceNorm has a mathematically zero gradient; what
                // either framework computes for it is float residue. Such tensors only have to
                // stay at residue level; the rest must agree relative to their own scale.
                double scale = expected.abs().max().item<float>();
                if (scale < 1e-3 * networkScale)
                {
                    Assert.True(actual.abs().max().item<float>() < 1e-3 * networkScale, $"grad {net}.{key} is not ~0");
                    continue;
                }
                ReferenceCase.AssertClose(expected / scale, actual / scale, 1e-4, $"grad {net}.{key}");
            }
        }

        var second = trainer.Step(golden["A"], golden["B"]);
        AssertLosses(golden, "step1", second, rtol: 1e-4);
        foreach (var (net, network) in model.Networks)
        {
            // Adam's first steps move a weight by ≈ lr whatever its gradient; where a gradient is
            // numerically zero its sign is noise, so weights can differ by up to 2·lr per step.
            foreach (var (key, parameter) in network.named_parameters())
                ReferenceCase.AssertClose(golden[$"after.{net}.{key}"], parameter, 4.5 * train.Lr, $"{net}.{key}");
        }
    }

    private static ModelOptions Options(JsonElement c)
    {
        var o = new ModelOptions
        {
            InputChannels = c.GetProperty("input_nc").GetInt32(),
            OutputChannels = c.GetProperty("output_nc").GetInt32(),
            Nz = c.GetProperty("nz").GetInt32(),
            UseSameD = c.GetProperty("use_same_D").GetBoolean(),
        };
        o = ReferenceCase.Options(c.GetProperty("G"), o);
        o = ReferenceCase.Options(c.GetProperty("E"), o);
        o = ReferenceCase.Options(c.GetProperty("D"), o);
        Assert.Equal(c.GetProperty("conditional_D").GetBoolean(), o.ConditionalD);
        return o;
    }

    private static void AssertLosses(ReferenceCase golden, string step, StepLosses ours, double rtol)
    {
        for (int i = 0; i < 7; i++)
        {
            string name = StepLosses.Names[i];
            double expected = golden[$"{step}.loss.{name}"].item<float>();
            double actual = ours.Values[i];
            Assert.True(Math.Abs(expected - actual) <= rtol * Math.Max(1, Math.Abs(expected)),
                $"{step} {name}: PyTorch {expected}, ours {actual}");
        }
    }
}
