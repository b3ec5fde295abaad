using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) as PyTorch 1.13 computes it without weight decay or AMSGrad:
/// m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
/// </summary>
/// <remarks>
/// Our own rather than TorchSharp's: TorchSharp 0.107's Adam passes temporary Scalars to native
/// code without keeping them alive, and a garbage collection started by another thread (the
/// data loader's) can finalize one while libtorch still reads it, which corrupts a step at
/// random. Every Scalar here is held by a field or a <c>using</c> until its call returns. The
/// state is plain tensors, so checkpoints store it as safetensors.
/// </remarks>
public sealed class Adam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _expAvg;
    private readonly Tensor?[] _expAvgSq;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _expAvg = new Tensor?[_parameters.Length];
        _expAvgSq = new Tensor?[_parameters.Length];
        _steps = new long[_parameters.Length];
        (_beta1, _beta2) = (beta1, beta2);
        LearningRate = lr;
        _beta1Scalar = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
    }

    public double LearningRate { get; set; }

    /// <summary>Zeroes every gradient in place (PyTorch 1.13's default).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            _expAvg[i] ??= zeros_like(_parameters[i]).DetachFromDisposeScope();
            _expAvgSq[i] ??= zeros_like(_parameters[i]).DetachFromDisposeScope();
            long t = ++_steps[i];
            _expAvg[i]!.mul_(_beta1Scalar).add_(grad, _oneMinusBeta1);
            _expAvgSq[i]!.mul_(_beta2Scalar).addcmul_(grad, grad, _oneMinusBeta2);

            double biasCorrection1 = 1 - Math.Pow(_beta1, t);
            double biasCorrection2 = 1 - Math.Pow(_beta2, t);
            using var stepSize = (-LearningRate / biasCorrection1).ToScalar();
            using var correction2Sqrt = Math.Sqrt(biasCorrection2).ToScalar();
            using var root = _expAvgSq[i]!.sqrt();
            using var denominator = root.div_(correction2Sqrt).add_(_epsilon, Scalars.Of(1));
            _parameters[i].addcdiv_(_expAvg[i]!, denominator, stepSize);
        }
    }

    /// <summary>
    /// The state as named tensors: <c>{i}.step</c> (int64), <c>{i}.exp_avg</c> and
    /// <c>{i}.exp_avg_sq</c> for each parameter i (in <c>parameters()</c> order) that has stepped.
    /// The moments are the optimizer's own tensors; the step counts are new, owned by the caller's
    /// dispose scope.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_expAvg[i] is null) continue;
            state[$"{i}.step"] = tensor(_steps[i]);
            state[$"{i}.exp_avg"] = _expAvg[i]!;
            state[$"{i}.exp_avg_sq"] = _expAvgSq[i]!;
        }
        return state;
    }

    /// <summary>
    /// Replaces the state with a copy of <paramref name="state"/> (as <see cref="StateDict"/> names it).
    /// </summary>
    /// <exception cref="ArgumentException">A key, shape, type or step count does not fit these parameters.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var known = new HashSet<string>();
        var loaded = new (Tensor ExpAvg, Tensor ExpAvgSq, long Step)?[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            bool has = state.TryGetValue($"{i}.step", out var step);
            if (!has) continue;
            known.UnionWith([$"{i}.step", $"{i}.exp_avg", $"{i}.exp_avg_sq"]);
            var expAvg = Moment(state, $"{i}.exp_avg", _parameters[i]);
            var expAvgSq = Moment(state, $"{i}.exp_avg_sq", _parameters[i]);
            if (step!.dtype != ScalarType.Int64 || step.numel() != 1 || step.item<long>() < 1)
                throw new ArgumentException($"Adam state '{i}.step' must be one int64 count ≥ 1.");
            loaded[i] = (expAvg, expAvgSq, step.item<long>());
        }
        var unknown = state.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"Adam state has entries for no parameter: {string.Join(", ", unknown.Take(5))}.");

        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            _expAvg[i]?.Dispose();
            _expAvgSq[i]?.Dispose();
            (_expAvg[i], _expAvgSq[i], _steps[i]) = loaded[i] is { } s
                ? (s.ExpAvg.clone().DetachFromDisposeScope(), s.ExpAvgSq.clone().DetachFromDisposeScope(), s.Step)
                : (null, null, 0);
        }
    }

    private static Tensor Moment(IReadOnlyDictionary<string, Tensor> state, string key, Parameter parameter)
    {
        if (!state.TryGetValue(key, out var moment))
            throw new ArgumentException($"Adam state has no '{key}'.");
        if (moment.dtype != parameter.dtype || !moment.shape.SequenceEqual(parameter.shape))
            throw new ArgumentException(
                $"Adam state '{key}' is {moment.dtype} [{string.Join(", ", moment.shape)}], but its parameter is " +
                $"{parameter.dtype} [{string.Join(", ", parameter.shape)}].");
        return moment;
    }

    public void Dispose()
    {
        foreach (var t in _expAvg.Concat(_expAvgSq)) t?.Dispose();
        foreach (var s in new[] { _beta1Scalar, _oneMinusBeta1, _beta2Scalar, _oneMinusBeta2, _epsilon }) s.Dispose();
    }
}
