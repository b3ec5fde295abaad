using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>ELU (α = 1) with process-lived Scalars (see <see cref="Scalars"/>); parameter-free.</summary>
internal sealed class Elu() : nn.Module<Tensor, Tensor>("ELU")
{
    public override Tensor forward(Tensor x) => x.elu(Scalars.Of(1), Scalars.Of(1), Scalars.Of(1));
}
