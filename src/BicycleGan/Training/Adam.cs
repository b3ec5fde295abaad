using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) as PyTorch computes it without weight decay or AMSGrad:
/// m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε); the state is PyTorch 1.13's, the number
/// of passes over the weights PyTorch 2's (see <see cref="Step"/> and <see cref="ZeroGrad"/>).
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
    private readonly Tensor _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly double _epsilon;
    private Tensor? _scratch;

    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _expAvg = new Tensor?[_parameters.Length];
        _expAvgSq = new Tensor?[_parameters.Length];
        _steps = new long[_parameters.Length];
        (_beta1, _beta2) = (beta1, beta2);
        LearningRate = lr;
        _oneMinusBeta1 = tensor((float)(1 - beta1)).DetachFromDisposeScope();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon;
    }

    public double LearningRate { get; set; }

    /// <summary>
    /// Drops every gradient (PyTorch 2's <c>zero_grad(set_to_none=True)</c>): the next backward
    /// pass hands its gradients over instead of adding them to zeros, two passes over every
    /// weight fewer than zeroing in place. A parameter no loss reaches then keeps still, where
    /// PyTorch 1.13 would move it by its momentum.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad = null;
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is null) continue;
            _expAvg[i] ??= zeros_like(_parameters[i]).DetachFromDisposeScope();
            _expAvgSq[i] ??= zeros_like(_parameters[i]).DetachFromDisposeScope();
            long t = ++_steps[i];
            // lerp is β1·m + (1 − β1)·g in one pass (as PyTorch 2 writes it).
            _expAvg[i]!.lerp_(grad, _oneMinusBeta1);
            _expAvgSq[i]!.mul_(_beta2Scalar).addcmul_(grad, grad, _oneMinusBeta2);

            // lr/c1 · m / (√v/√c2 + ε) = (lr·√c2/c1) · m / (√v + ε·√c2): the same update with
            // one pass fewer, the square root written into a buffer reused across parameters.
            double correction2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, t));
            using var stepSize = (-LearningRate * correction2Sqrt / (1 - Math.Pow(_beta1, t))).ToScalar();
            using var epsilon = (_epsilon * correction2Sqrt).ToScalar();
            using var denominator = Scratch(_parameters[i]);
            denominator.copy_(_expAvgSq[i]!).sqrt_().add_(epsilon, Scalars.Of(1));
            _parameters[i].addcdiv_(_expAvg[i]!, denominator, stepSize);
        }
    }

    /// <summary>A view shaped like <paramref name="parameter"/> into the reused scratch buffer.</summary>
    private Tensor Scratch(Parameter parameter)
    {
        long size = parameter.numel();
        if (_scratch is null || _scratch.numel() < size)
        {
            _scratch?.Dispose();
            long largest = _parameters.Max(p => p.numel());
            _scratch = empty(largest, dtype: parameter.dtype).DetachFromDisposeScope();
        }
        return _scratch.narrow(0, 0, size).view(parameter.shape);
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
        _scratch?.Dispose();
        _oneMinusBeta1.Dispose();
        foreach (var s in new[] { _beta2Scalar, _oneMinusBeta2 }) s.Dispose();
    }
}
