using BicycleGan.Options;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Moving whole models between PyTorch's official layout (one <c>latest_net_X.pth</c> state dict
/// per network) and our run folders.
/// </summary>
public static class PyTorchInterop
{
    /// <summary>
    /// Builds a model with <paramref name="options"/> and fills each network from its official
    /// <c>.pth</c> file, strictly (old InstanceNorm statistics are ignored). G and E are required;
    /// D and D2 are optional and are only built when given.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// A file is unreadable, hostile or for another architecture.
    /// </exception>
    public static BicycleGanModel Import(ModelOptions options, IReadOnlyDictionary<string, string> files)
    {
        foreach (string required in new[] { "G", "E" })
            if (!files.ContainsKey(required))
                throw new ArgumentException(
                    $"Importing needs the {required} network's file (--{required} latest_net_{required}.pth).");
        var unknown = files.Keys.Except(["G", "E", "D", "D2"]).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown network {unknown[0]}: use G, E, D or D2.");

        bool discriminators = files.ContainsKey("D") || files.ContainsKey("D2");
        // A D without a D2 is a shared discriminator (use_same_D) as far as the model is concerned.
        options = options with { UseSameD = options.UseSameD || (files.ContainsKey("D") && !files.ContainsKey("D2")) };
        var model = BicycleGanModel.Create(options, ModelVariant.Bicycle, new LossWeights(), discriminators);
        try
        {
            foreach (var (name, network) in model.Networks)
            {
                if (!files.TryGetValue(name, out var path))
                    throw new ArgumentException(
                        $"This model has a {name} network; give its file too (--{name} latest_net_{name}.pth).");
                if (!File.Exists(path)) throw new ArgumentException($"The {name} file '{path}' does not exist.");
                using var tensors = PyTorchCheckpoint.Read(path);
                try
                {
                    StateDictLoader.Load(network, tensors.Tensors, path);
                }
                catch (StateDictMismatchException e)
                {
                    throw new CheckpointFormatException(
                        $"{e.Message} Are the architecture options right (--preset, --input-nc, --output-nc, --nz, " +
                        "--where-add, --netG/--netE)?", e);
                }
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes every network of <paramref name="model"/> into <paramref name="outDir"/> as
    /// <c>latest_net_X.pth</c> (PyTorch) or <c>net_X.safetensors</c>; returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Export(BicycleGanModel model, string outDir, bool pytorch)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        foreach (var (name, network) in model.Networks)
        {
            string path = Path.Combine(outDir, pytorch ? $"latest_net_{name}.pth" : $"net_{name}.safetensors");
            if (pytorch) PyTorchCheckpoint.Write(path, network.state_dict());
            else SafeTensors.Write(path, network.state_dict());
            written.Add(path);
        }
        return written;
    }
}
