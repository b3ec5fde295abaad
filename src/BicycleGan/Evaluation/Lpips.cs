using System.Text.RegularExpressions;
using BicycleGan.Checkpoints;
using BicycleGan.Data;
using static TorchSharp.torch;

namespace BicycleGan.Evaluation;

/// <summary>
/// LPIPS, the learned perceptual image patch similarity of Zhang et al. (2018), with the AlexNet
/// trunk the BicycleGAN paper used for its diversity numbers. For images x₀, x₁ in [-1, 1]:
/// d = Σₗ mean over (h, w) of Σ_c wₗ,c · (f̂ₗ(x₀) − f̂ₗ(x₁))²_c, where fₗ is the output of the
/// l-th ReLU of AlexNet's five convolutions, f̂ = f / (‖f‖ over channels + 1e-10), and wₗ are the
/// learned non-negative heads <c>lin0..lin4</c>. Identical images are at distance 0.
/// </summary>
/// <remarks>
/// <para>Weights come from PyTorch <c>.pth</c> state dicts, read by the safe
/// <see cref="PyTorchCheckpoint"/> reader (no Python code runs). Give either</para>
/// <list type="bullet">
/// <item>two files: torchvision's <c>alexnet</c> state dict (keys <c>features.0.weight</c> …;
/// its <c>classifier.*</c> keys are ignored) and an LPIPS head file such as the lpips package's
/// <c>weights/v0.1/alex.pth</c> (keys <c>lin0.model.1.weight</c> …), or</item>
/// <item>one file holding both, with the trunk under <c>features.N.*</c> or as the lpips
/// module saves it (<c>net.slice1.0.weight</c> …; <c>scaling_layer.*</c> is ignored, its
/// constants are fixed).</item>
/// </list>
/// <para>The two versions' head files cannot be told apart by content, so the version comes
/// from the head file's path ("v0.0" or "v0.1" in its name or folder, as the public files are
/// laid out) unless it is given. The trunk's channel widths are read from the weights (64, 192,
/// 384, 256, 256 for the real AlexNet); kernels, strides, paddings and pools are AlexNet's.</para>
/// </remarks>
public sealed class Lpips : IDisposable
{
    /// <summary>Smallest side AlexNet's strides and pools leave a 1 × 1 fifth layer for.</summary>
    public const int MinimumSide = 31;

    // torchvision's indices of AlexNet's convolutions inside `features`, and their geometry.
    private static readonly int[] ConvIndices = [0, 3, 6, 8, 10];
    private static readonly int[] Kernels = [11, 5, 3, 3, 3];
    private static readonly int[] Strides = [4, 1, 1, 1, 1];
    private static readonly int[] Paddings = [2, 2, 1, 1, 1];

    // The ScalingLayer's constants: ImageNet statistics expressed for [-1, 1] inputs.
    private static readonly float[] Shift = [-0.030f, -0.088f, -0.188f];
    private static readonly float[] Scale = [0.458f, 0.448f, 0.450f];

    private static readonly Regex FeatureKey = new(@"^features\.(\d+)\.(weight|bias)$");
    private static readonly Regex SliceKey = new(@"^net\.slice[1-5]\.(\d+)\.(weight|bias)$");
    private static readonly Regex HeadKey = new(@"^lin([0-4])\.model\.1\.weight$");
    private static readonly Regex VersionInPath = new(@"v0\.([01])(?![0-9])", RegexOptions.IgnoreCase);

    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;
    private readonly Tensor[] _heads;
    private readonly Tensor _shift;
    private readonly Tensor _scale;

    private Lpips(Tensor[] weights, Tensor[] biases, Tensor[] heads, LpipsVersion version,
        IReadOnlyList<string> files)
    {
        _weights = weights;
        _biases = biases;
        _heads = heads;
        Version = version;
        Files = files;
        Widths = [.. weights.Select(w => (int)w.shape[0])];
        _shift = tensor(Shift, [1, 3, 1, 1]).DetachFromDisposeScope();
        _scale = tensor(Scale, [1, 3, 1, 1]).DetachFromDisposeScope();
    }

    /// <summary>Whether inputs pass the ScalingLayer (v0.1) or not (v0.0).</summary>
    public LpipsVersion Version { get; }

    /// <summary>The files the weights were read from, as given.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Channels of the five tapped layers (64, 192, 384, 256, 256 for AlexNet).</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>
    /// Reads the trunk and the heads from one or two <c>.pth</c> files (see the remarks).
    /// </summary>
    /// <param name="files">One file with everything, or the trunk's and the heads' files.</param>
    /// <param name="version">The heads' release; null to read it from the head file's path.</param>
    /// <exception cref="CheckpointFormatException">A file is not a state dict, holds keys LPIPS
    /// does not use, lacks some, or has shapes that do not chain; the message says which.</exception>
    /// <exception cref="ArgumentException">No version was given and the path names none.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static Lpips Load(IReadOnlyList<string> files, LpipsVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count is < 1 or > 2)
            throw new ArgumentException($"LPIPS takes one or two weight files, not {files.Count}.");
        var found = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        string? headFile = null;
        try
        {
            foreach (string file in files)
            {
                if (ReadInto(file, found)) headFile ??= file;
            }
            var (weights, biases, heads) = Arrange(found, files);
            var resolved = version ?? VersionFromPath(headFile, files);
            return new Lpips(weights, biases, heads, resolved, [.. files]);
        }
        catch
        {
            foreach (var t in found.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// LPIPS between image k of <paramref name="first"/> and image k of
    /// <paramref name="second"/>, for every k, in one batch. Images are C × H × W in [-1, 1]
    /// with C = 3, or C = 1 repeated to grey RGB; both lists share one size.
    /// </summary>
    public double[] Distances(IReadOnlyList<HostImage> first, IReadOnlyList<HostImage> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"LPIPS compares images in pairs, but {first.Count} and "
                + $"{second.Count} images were given.");
        }
        if (first.Count == 0) return [];
        using var scope = NewDisposeScope();
        using var _ = inference_mode();
        var d = Distance(Stack(first), Stack(second));
        return [.. d.to(ScalarType.Float64).data<double>()];
    }

    /// <summary>LPIPS of one pair of images (see <see cref="Distances"/>).</summary>
    public double Distance(HostImage x0, HostImage x1) => Distances([x0], [x1])[0];

    /// <summary>
    /// LPIPS per pair of batches <paramref name="x0"/>, <paramref name="x1"/> (N × 3 × H × W,
    /// or N × 1 × H × W, in [-1, 1], sides at least <see cref="MinimumSide"/>): a tensor of N
    /// distances. The caller owns the result and should call this under no_grad in a scope.
    /// </summary>
    public Tensor Distance(Tensor x0, Tensor x1)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(x1);
        CheckShapes(x0, x1);
        var taps0 = Taps(Prepare(x0));
        var taps1 = Taps(Prepare(x1));
        Tensor total = zeros(x0.shape[0]);
        for (int l = 0; l < taps0.Length; l++)
        {
            var difference = Unit(taps0[l]) - Unit(taps1[l]);
            var squared = difference.mul(difference);
            var weighted = nn.functional.conv2d(squared, _heads[l]);
            total = Scalars.Add(total, weighted.mean([1, 2, 3]));
        }
        return total;
    }

    public void Dispose()
    {
        foreach (var t in _weights.Concat(_biases).Concat(_heads)) t.Dispose();
        _shift.Dispose();
        _scale.Dispose();
    }

    private Tensor Prepare(Tensor x)
    {
        var rgb = x.shape[1] == 1 ? x.expand(-1, 3, -1, -1) : x;
        rgb = rgb.to(ScalarType.Float32);
        return Version == LpipsVersion.V0_1 ? (rgb - _shift) / _scale : rgb;
    }

    /// <summary>The five ReLU outputs; 3 × 3 max pools of stride 2 precede convs 2 and 3.</summary>
    private Tensor[] Taps(Tensor x)
    {
        var taps = new Tensor[ConvIndices.Length];
        for (int l = 0; l < taps.Length; l++)
        {
            if (l is 1 or 2) x = nn.functional.max_pool2d(x, [3, 3], [2, 2]);
            x = nn.functional.conv2d(x, _weights[l], _biases[l], strides: [Strides[l], Strides[l]],
                padding: [Paddings[l], Paddings[l]]);
            x = nn.functional.relu(x);
            taps[l] = x;
        }
        return taps;
    }

    private static Tensor Unit(Tensor f) => f / Scalars.Add(f.mul(f).sum(1, keepdim: true).sqrt(), 1e-10);

    private static Tensor Stack(IReadOnlyList<HostImage> images)
    {
        var first = images[0];
        if (images.Any(i => i.Channels != first.Channels || i.Height != first.Height
                || i.Width != first.Width))
        {
            throw new ArgumentException("LPIPS compares a batch of images of one size and channel "
                + "count; these differ.");
        }
        float[] flat = [.. images.SelectMany(i => i.Data)];
        return tensor(flat, [images.Count, first.Channels, first.Height, first.Width]);
    }

    private static void CheckShapes(Tensor x0, Tensor x1)
    {
        if (x0.dim() != 4 || !x0.shape.SequenceEqual(x1.shape))
        {
            throw new ArgumentException("LPIPS needs two N × C × H × W batches of one shape, not "
                + $"[{string.Join(", ", x0.shape)}] and [{string.Join(", ", x1.shape)}].");
        }
        if (x0.shape[1] is not (1 or 3))
        {
            throw new ArgumentException(
                $"LPIPS compares RGB or grey images, not {x0.shape[1]} channels.");
        }
        if (x0.shape[2] < MinimumSide || x0.shape[3] < MinimumSide)
        {
            throw new ArgumentException($"LPIPS needs images of at least {MinimumSide}×{MinimumSide} "
                + $"px for AlexNet's fifth layer, not {x0.shape[3]}×{x0.shape[2]}.");
        }
    }

    /// <summary>
    /// Adds the file's tensors under canonical names (features.N.weight, linK); true when it
    /// held heads.
    /// </summary>
    private static bool ReadInto(string file, Dictionary<string, Tensor> found)
    {
        using var read = PyTorchCheckpoint.Read(file);
        var unused = new List<string>();
        bool heads = false;
        foreach (var (key, value) in read.Tensors)
        {
            string? name = Canonical(key, out bool ignored);
            if (ignored) continue;
            if (name is null)
            {
                unused.Add(key);
                continue;
            }
            if (found.ContainsKey(name))
            {
                throw new CheckpointFormatException($"LPIPS weight '{name}' is given twice (again "
                    + $"as '{key}' in '{file}'); give each part of the weights once.");
            }
            heads |= name.StartsWith("lin", StringComparison.Ordinal);
            using var single = value.to(ScalarType.Float32);
            found[name] = single.clone().DetachFromDisposeScope();
        }
        if (unused.Count > 0)
        {
            string list = string.Join(", ", unused.Take(4)) + (unused.Count > 4 ? ", …" : "");
            throw new CheckpointFormatException($"'{file}' holds {unused.Count} keys an AlexNet "
                + $"LPIPS does not use ({list}); expected torchvision's alexnet (features.N.*) "
                + "and/or LPIPS heads (lin0.model.1.weight …).");
        }
        return heads;
    }

    private static string? Canonical(string key, out bool ignored)
    {
        ignored = key.StartsWith("classifier.", StringComparison.Ordinal)
            || key is "scaling_layer.shift" or "scaling_layer.scale";
        if (ignored) return null;
        var m = FeatureKey.Match(key);
        if (!m.Success) m = SliceKey.Match(key);
        if (m.Success && ConvIndices.Contains(int.Parse(m.Groups[1].Value)))
            return $"features.{m.Groups[1].Value}.{m.Groups[2].Value}";
        var head = HeadKey.Match(key);
        return head.Success ? $"lin{head.Groups[1].Value}" : null;
    }

    private static LpipsVersion VersionFromPath(string? headFile, IReadOnlyList<string> files)
    {
        string path = headFile ?? files[^1];
        string full = Path.GetFullPath(path);
        // The file name first (LPIPS_v0.1_alex.pth), then its folder (weights/v0.1/alex.pth).
        foreach (string part in new[] { Path.GetFileName(full), Path.GetDirectoryName(full) ?? "" })
        {
            var matches = VersionInPath.Matches(part);
            if (matches.Count == 0) continue;
            return matches[^1].Groups[1].Value == "0" ? LpipsVersion.V0_0 : LpipsVersion.V0_1;
        }
        throw new ArgumentException($"The LPIPS version of '{path}' cannot be told from its path "
            + "(no 'v0.0' or 'v0.1' in its name or folder) and both versions' files look alike; "
            + "name the version (--lpips-version 0.0 or 0.1).");
    }

    private static (Tensor[] Weights, Tensor[] Biases, Tensor[] Heads) Arrange(
        Dictionary<string, Tensor> found, IReadOnlyList<string> files)
    {
        string given = string.Join("' and '", files);
        var missing = ConvIndices
            .SelectMany(i => new[] { $"features.{i}.weight", $"features.{i}.bias" })
            .Concat(Enumerable.Range(0, 5).Select(k => $"lin{k}"))
            .Where(name => !found.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            bool trunk = missing.Any(m => m.StartsWith("features", StringComparison.Ordinal));
            string advice = trunk
                ? "add torchvision's alexnet .pth for the AlexNet features"
                : "add an LPIPS head file such as weights/v0.1/alex.pth";
            throw new CheckpointFormatException($"'{given}' lacks LPIPS weights "
                + $"{string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", …" : "")}; "
                + $"{advice}.");
        }
        var weights = ConvIndices.Select(i => found[$"features.{i}.weight"]).ToArray();
        var biases = ConvIndices.Select(i => found[$"features.{i}.bias"]).ToArray();
        var heads = Enumerable.Range(0, 5).Select(k => found[$"lin{k}"]).ToArray();
        CheckGeometry(weights, biases, heads, given);
        return (weights, biases, heads);
    }

    private static void CheckGeometry(Tensor[] weights, Tensor[] biases, Tensor[] heads,
        string given)
    {
        long inChannels = 3;
        for (int l = 0; l < weights.Length; l++)
        {
            long[] w = weights[l].shape;
            long width = w.Length == 4 ? w[0] : -1;
            bool ok = w.Length == 4 && w[1] == inChannels && w[2] == Kernels[l] && w[3] == Kernels[l]
                && biases[l].shape.SequenceEqual(new[] { width })
                && heads[l].shape.SequenceEqual(new[] { 1L, width, 1, 1 });
            if (!ok)
            {
                throw new CheckpointFormatException($"'{given}' is not an AlexNet LPIPS: layer {l} "
                    + $"has weight [{string.Join(", ", w)}], "
                    + $"bias [{string.Join(", ", biases[l].shape)}]"
                    + $" and head [{string.Join(", ", heads[l].shape)}], but expects "
                    + $"[C, {inChannels}, {Kernels[l]}, {Kernels[l]}], [C] and [1, C, 1, 1].");
            }
            inChannels = width;
        }
    }
}
