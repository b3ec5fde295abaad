using static TorchSharp.torch;

namespace BicycleGan.Networks;

/// <summary>
/// LeakyReLU whose slope is a Scalar kept alive by the process (see <see cref="Scalars"/>);
/// TorchSharp's own module makes a temporary one on every call. Parameter-free, so it takes a
/// Sequential index like the reference's layer without adding checkpoint keys.
/// </summary>
internal sealed class LeakyRelu(double slope) : nn.Module<Tensor, Tensor>("LeakyReLU")
{
    public override Tensor forward(Tensor x) => x.leaky_relu(Scalars.Of(slope));
}
