using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// BatchNorm2d with PyTorch's keys (weight, bias, running_mean, running_var,
/// num_batches_tracked), momentum 0.1 and ε 1e-5. Ours because TorchSharp's counts batches with
/// a temporary Scalar that a concurrent garbage collection can free mid-call (see <see cref="Scalars"/>).
/// </summary>
internal sealed class BatchNorm : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;
    private readonly Tensor _batchesTracked;

    public BatchNorm(long channels) : base("BatchNorm2d")
    {
        _weight = new Parameter(ones(channels));
        _bias = new Parameter(zeros(channels));
        _runningMean = zeros(channels);
        _runningVar = ones(channels);
        _batchesTracked = tensor(0L);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
        register_buffer("num_batches_tracked", _batchesTracked);
    }

    public Parameter Weight => _weight;

    public Parameter Bias => _bias;

    public override Tensor forward(Tensor x)
    {
        if (training)
        {
            using var noGrad = no_grad();
            _batchesTracked.add_(Scalars.OfInteger(1), Scalars.OfInteger(1));
        }
        return nn.functional.batch_norm(x, _runningMean, _runningVar, _weight, _bias, training, Momentum, Epsilon);
    }
}
