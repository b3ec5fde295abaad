using static TorchSharp.torch;

namespace BicycleGan.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Native_library_loads_and_computes()
    {
        TorchRuntime.Initialize();
        using var x = ones(2, 3);
        Assert.Equal(6f, x.sum().item<float>());
    }
}
