using BicycleGan.Training;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Training;

public sealed class AdamTests
{
    public AdamTests() => TestNets.Seed();

    [Fact]
    public void Two_steps_follow_the_formula_by_hand()
    {
        var p = new Parameter(tensor(new[] { 1.0f, -2.0f }));
        using var adam = new Adam([p], lr: 0.1, beta1: 0.5, beta2: 0.9);
        double[] theta = [1, -2], m = [0, 0], v = [0, 0];
        double[][] grads = [[0.5, -1.0], [2.0, 0.25]];
        for (int t = 1; t <= 2; t++)
        {
            p.grad = tensor(grads[t - 1].Select(g => (float)g).ToArray());
            adam.Step();
            for (int i = 0; i < 2; i++)
            {
                double g = grads[t - 1][i];
                m[i] = 0.5 * m[i] + 0.5 * g;
                v[i] = 0.9 * v[i] + 0.1 * g * g;
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.9, t)) + 1e-8;
                theta[i] -= 0.1 / (1 - Math.Pow(0.5, t)) * m[i] / denom;
            }
        }
        var actual = p.data<float>().ToArray();
        Assert.Equal(theta[0], actual[0], 5);
        Assert.Equal(theta[1], actual[1], 5);
    }

    [Fact]
    public void Its_state_round_trips_and_continues_identically()
    {
        var a = new Parameter(randn(3, 4));
        var b = new Parameter(a.detach().clone());
        using var first = new Adam([a], 1e-2, 0.5, 0.999);
        using var second = new Adam([b], 1e-2, 0.5, 0.999);
        a.grad = randn(3, 4);
        first.Step();
        using (var scope = NewDisposeScope()) second.LoadStateDict(first.StateDict());
        using (no_grad()) b.copy_(a);
        var g = randn(3, 4);
        a.grad = g.clone();
        b.grad = g.clone();
        first.Step();
        second.Step();
        Assert.True(a.bytes.SequenceEqual(b.bytes));
    }

    [Fact]
    public void A_state_for_other_parameters_is_refused_by_name()
    {
        var p = new Parameter(randn(2, 2));
        using var adam = new Adam([p], 1e-3, 0.5, 0.999);
        var wrong = new Dictionary<string, Tensor>
        {
            ["0.step"] = tensor(1L), ["0.exp_avg"] = zeros(3), ["0.exp_avg_sq"] = zeros(3),
        };
        var error = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(wrong));
        Assert.Contains("'0.exp_avg'", error.Message);
        wrong = new Dictionary<string, Tensor> { ["7.step"] = tensor(1L) };
        Assert.Contains("7.step", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(wrong)).Message);
    }
}
