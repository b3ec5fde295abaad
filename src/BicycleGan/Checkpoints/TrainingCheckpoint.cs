using System.Text.Json;
using BicycleGan.Options;
using BicycleGan.Training;
using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// The native checkpoint of a run, one folder written atomically: <c>net_G.safetensors</c> …
/// (weights), <c>optimizer_G.safetensors</c> … (Adam moments and step counts), <c>rng.safetensors</c>
/// (torch's CPU generator, which draws z, ε and dropout masks), <c>state.json</c> (step, epoch,
/// architecture). Restoring all of it continues a run bit for bit as if it had never stopped.
/// </summary>
public static class TrainingCheckpoint
{
    private const string StateFile = "state.json";
    private const string RngFile = "rng.safetensors";
    private const string RngKey = "torch_cpu_generator";

    /// <summary>Writes the checkpoint folder <paramref name="folder"/>, replacing an older one atomically.</summary>
    public static void Save(string folder, BicycleGanModel model, Trainer trainer, ModelVariant variant,
        int epoch, int stepInEpoch)
    {
        var state = new CheckpointState(CheckpointState.CurrentFormat, trainer.StepsDone, epoch, stepInEpoch,
            variant, model.Options, model.Networks.Select(n => n.Name).ToList(), DateTimeOffset.UtcNow);
        using var scope = NewDisposeScope();
        var rng = random.get_rng_state();
        AtomicDirectory.Replace(folder, staging =>
        {
            foreach (var (name, network) in model.Networks)
            {
                SafeTensors.Write(Path.Combine(staging, $"net_{name}.safetensors"), network.state_dict(),
                    new Dictionary<string, string> { ["network"] = name });
                SafeTensors.Write(Path.Combine(staging, $"optimizer_{name}.safetensors"),
                    trainer.Optimizers[name].StateDict(), new Dictionary<string, string> { ["optimizer"] = "adam" });
            }
            SafeTensors.Write(Path.Combine(staging, RngFile), new Dictionary<string, Tensor> { [RngKey] = rng });
            File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, OptionsJson.Settings));
        });
    }

    /// <summary>
    /// Writes the networks of <paramref name="model"/> as a checkpoint without training state (an
    /// imported model): sampling uses it as it is; training resumes from it with fresh optimizers.
    /// </summary>
    public static void SaveWeights(string folder, BicycleGanModel model, ModelVariant variant)
    {
        var state = new CheckpointState(CheckpointState.CurrentFormat, 0, 0, 0, variant, model.Options,
            model.Networks.Select(n => n.Name).ToList(), DateTimeOffset.UtcNow, HasTrainingState: false);
        AtomicDirectory.Replace(folder, staging =>
        {
            foreach (var (name, network) in model.Networks)
                SafeTensors.Write(Path.Combine(staging, $"net_{name}.safetensors"), network.state_dict(),
                    new Dictionary<string, string> { ["network"] = name });
            File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, OptionsJson.Settings));
        });
    }

    /// <summary>
    /// The complete checkpoint at <paramref name="folder"/> (or the one a crashed replacement left
    /// aside), or null when there is none yet.
    /// </summary>
    public static string? Find(string folder) => AtomicDirectory.Resolve(folder);

    /// <exception cref="CheckpointFormatException">The folder holds no readable checkpoint.</exception>
    public static CheckpointState ReadState(string folder)
    {
        string path = Path.Combine(folder, StateFile);
        if (!File.Exists(path))
            throw new CheckpointFormatException($"'{folder}' is not a checkpoint folder: it has no {StateFile}.");
        CheckpointState? state;
        try
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), OptionsJson.Settings);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"Checkpoint state '{path}' is not valid: {e.Message}", e);
        }
        if (state is null || state.FormatVersion > CheckpointState.CurrentFormat || state.FormatVersion < 1)
            throw new CheckpointFormatException(
                $"Checkpoint '{folder}' has format version {state?.FormatVersion}; this build reads up to " +
                $"{CheckpointState.CurrentFormat}. Update bicyclegan to read it.");
        return state;
    }

    /// <summary>
    /// Loads the weights of every network of <paramref name="model"/> from the folder, strictly.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// The checkpoint was made for another architecture (both are described), or a file is missing or damaged.
    /// </exception>
    public static CheckpointState LoadWeights(string folder, BicycleGanModel model)
    {
        var state = ReadState(folder);
        if (state.Model != model.Options)
            throw new CheckpointFormatException(
                $"Checkpoint '{folder}' was made for another architecture: it holds " +
                $"{Describe(state.Model)}, but this run builds {Describe(model.Options)}. " +
                "Use the options the checkpoint was trained with (they are in its state.json).");
        foreach (var (name, network) in model.Networks)
        {
            string path = Path.Combine(folder, $"net_{name}.safetensors");
            if (!File.Exists(path))
                throw new CheckpointFormatException(
                    $"Checkpoint '{folder}' has no weights for network {name} ({path}).");
            using var tensors = SafeTensors.Read(path);
            StateDictLoader.Load(network, tensors.Tensors, path);
        }
        return state;
    }

    /// <summary>
    /// Restores weights, optimizer moments, step counter and torch's random generator, so the
    /// next step is the one an uninterrupted run would take. Returns where training stood.
    /// </summary>
    public static CheckpointState Restore(string folder, BicycleGanModel model, Trainer trainer)
    {
        var state = LoadWeights(folder, model);
        if (!state.HasTrainingState)
        {
            // Imported weights: the networks start from them, the optimizers and schedule afresh.
            trainer.StepsDone = 0;
            trainer.BeginEpoch(0);
            return state;
        }
        foreach (var (name, _) in model.Networks)
        {
            string path = Path.Combine(folder, $"optimizer_{name}.safetensors");
            if (!File.Exists(path))
                throw new CheckpointFormatException($"Checkpoint '{folder}' has no optimizer state for {name}.");
            using var optimizerState = SafeTensors.Read(path);
            try
            {
                trainer.Optimizers[name].LoadStateDict(optimizerState.Tensors);
            }
            catch (ArgumentException e)
            {
                throw new CheckpointFormatException(
                    $"Optimizer state '{path}' does not fit network {name}: {e.Message} The file is damaged or " +
                    "belongs to another architecture.", e);
            }
        }
        RestoreRandomGenerator(folder);
        trainer.StepsDone = state.Step;
        trainer.BeginEpoch(state.Epoch);
        return state;
    }

    /// <summary>
    /// Sets torch's CPU generator from the checkpoint. libtorch aborts the whole process (an
    /// uncatchable C++ error) on a state of another type or length, so both are checked first
    /// against the state the generator has now.
    /// </summary>
    private static void RestoreRandomGenerator(string folder)
    {
        string path = Path.Combine(folder, RngFile);
        using var rng = SafeTensors.Read(path);
        if (!rng.Tensors.TryGetValue(RngKey, out var generatorState))
            throw new CheckpointFormatException($"Checkpoint '{folder}' has no random generator state.");
        using var current = random.get_rng_state();
        if (generatorState.dtype != current.dtype || !generatorState.shape.SequenceEqual(current.shape))
            throw new CheckpointFormatException(
                $"The random generator state in '{path}' is {generatorState.dtype} of shape " +
                $"[{string.Join(", ", generatorState.shape)}], not the {current.dtype} of shape " +
                $"[{string.Join(", ", current.shape)}] torch's CPU generator takes; the file is damaged.");
        random.set_rng_state(generatorState);
    }

    /// <summary>
    /// The checkpoint folder a user means by <paramref name="run"/>: a run folder (its latest
    /// checkpoint) or a checkpoint folder itself.
    /// </summary>
    /// <exception cref="CheckpointFormatException">Neither holds a complete checkpoint.</exception>
    public static string ResolveModelFolder(string run)
    {
        if (!Directory.Exists(run)) throw new CheckpointFormatException($"Model folder '{run}' does not exist.");
        if (File.Exists(Path.Combine(run, StateFile))) return Find(run) ?? run;
        return Find(new Training.RunFolder(run).Latest) ?? throw new CheckpointFormatException(
            $"'{run}' holds no complete checkpoint: expected a run folder with checkpoints/latest, or a checkpoint " +
            "folder with state.json.");
    }

    /// <summary>
    /// G and E (when the variant has one) of a trained model, ready for sampling; with
    /// <paramref name="discriminators"/>, also the D and D2 the checkpoint holds.
    /// </summary>
    public static BicycleGanModel LoadForInference(string run, bool discriminators = false)
    {
        string folder = ResolveModelFolder(run);
        var state = ReadState(folder);
        bool withD = discriminators && state.Networks.Contains("D");
        var loss = state.Networks.Contains("D2") ? new LossWeights() : new LossWeights { Gan2 = 0 };
        var model = BicycleGanModel.Create(state.Model, state.Variant, loss, withD);
        try
        {
            LoadWeights(folder, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.Train(false);
        return model;
    }

    private static string Describe(ModelOptions o) =>
        $"{OptionsJson.Token(o.Generator)} G ({o.NumDowns} levels, ngf {o.Ngf}, " +
        $"z at {OptionsJson.Token(o.WhereAddZ)}), " +
        $"{OptionsJson.Token(o.Encoder)} E ({o.EncoderBlocks} blocks, nef {o.Nef}), {o.NumDs}-scale D (ndf {o.Ndf}), " +
        $"nz {o.Nz}, {o.InputChannels}→{o.OutputChannels} channels, {OptionsJson.Token(o.Norm)} norm";
}
