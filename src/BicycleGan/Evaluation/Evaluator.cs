using BicycleGan.Data;
using BicycleGan.Options;
using BicycleGan.Sampling;

namespace BicycleGan.Evaluation;

/// <summary>
/// Runs the whole evaluation protocol over the first inputs of a split: per input, S random
/// samples G(A, zₖ) with seeded codes and the encoded sample G(A, μ(E(B))); then diversity
/// (L1, and LPIPS when given), reconstruction (L1, PSNR, SSIM), latent recovery, NDB/JSD and,
/// when the scenes are known, shapes mode coverage and precision. Every inference batch runs
/// in evaluation mode, without gradients, in its own dispose scope (see <see cref="Sampler"/>).
/// The same model, data, options and seed always give the same numbers.
/// </summary>
public sealed class Evaluator
{
    private readonly BicycleGanModel _model;
    private readonly EvaluationOptions _options;
    private readonly Lpips? _lpips;

    /// <param name="model">G and, for reconstruction and latent recovery, E.</param>
    /// <param name="options">The protocol; validated here.</param>
    /// <param name="lpips">The perceptual distance, or null to measure diversity in L1 only.</param>
    public Evaluator(BicycleGanModel model, EvaluationOptions options, Lpips? lpips = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _lpips = lpips;
    }

    /// <summary>
    /// Evaluates the first <see cref="EvaluationOptions.Inputs"/> examples of
    /// <paramref name="dataset"/>, centre-cropped and unflipped.
    /// </summary>
    /// <param name="dataset">Inputs, with ground truths for reconstruction and NDB.</param>
    /// <param name="scenes">The <c>shapes</c> scenes of those examples, in index order, for
    /// mode coverage; null for other data.</param>
    /// <param name="progress">Told the number of inputs done after each one.</param>
    public EvaluationResult Run(IPairedDataset dataset, IReadOnlyList<ShapesScene>? scenes = null,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sampling = new SamplingOptions
        {
            Inputs = _options.Inputs, Samples = _options.Samples, Seed = _options.Seed,
            Encode = true, MaxBatch = _options.MaxBatch,
        };
        var sampler = new Sampler(_model, sampling);
        var totals = new Totals(_options, _model.E is not null, _lpips, scenes);
        foreach (var set in sampler.SampleDataset(dataset))
        {
            totals.Add(set, _model);
            progress?.Report(totals.Inputs);
        }
        if (totals.Inputs == 0)
            throw new ArgumentException("The dataset holds no examples to evaluate.");
        return totals.Result();
    }

    /// <summary>
    /// The scenes of a <c>shapes</c> dataset, for mode coverage: those of a built-in dataset, or
    /// the <c>scenes.json</c> beside a split made by <c>bicyclegan data make shapes</c>. Null for
    /// any other data.
    /// </summary>
    public static IReadOnlyList<ShapesScene>? FindScenes(IPairedDataset dataset, string source,
        DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        if (dataset is ShapesDataset shapes)
            return [.. Enumerable.Range(0, shapes.Count).Select(shapes.Scene)];
        if (source.StartsWith(DatasetFactory.BuiltinPrefix, StringComparison.Ordinal)) return null;
        string file = Path.Combine(source, options.Phase, "scenes.json");
        return File.Exists(file) ? ShapesSceneFile.Read(file) : null;
    }

    /// <summary>Running sums over inputs; only managed numbers and the grid's images.</summary>
    private sealed class Totals(EvaluationOptions options, bool hasEncoder, Lpips? lpips,
        IReadOnlyList<ShapesScene>? scenes)
    {
        private readonly List<double> _diversityL1 = [];
        private readonly List<double> _diversityLpips = [];
        private readonly List<double> _reconL1 = [], _psnr = [], _ssim = [], _latent = [];
        private readonly List<double[]> _realFeatures = [], _fakeFeatures = [];
        private readonly List<double> _coverage = [];
        private readonly List<ModeClassification> _modes = [];
        private readonly List<SampleSet> _examples = [];
        private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

        public int Inputs { get; private set; }

        public void Add(SampleSet set, BicycleGanModel model)
        {
            Inputs++;
            _diversityL1.Add(Diversity.PixelL1(set.Samples));
            AddLpips(set);
            AddReconstruction(set);
            if (hasEncoder) _latent.Add(LatentRecovery.Measure(model, set.Samples, set.Codes));
            if (set.GroundTruth is { } b) _realFeatures.Add(Ndb.Features(b, options.NdbSide));
            _fakeFeatures.AddRange(set.Samples.Select(s => Ndb.Features(s, options.NdbSide)));
            AddModes(set);
            if (_examples.Count < options.GridInputs) _examples.Add(set);
        }

        public EvaluationResult Result()
        {
            if (!hasEncoder)
            {
                _skipped.TryAdd("reconstruction",
                    "The model has no encoder E, so there is no encoded sample.");
                _skipped["latentRecovery"] = "The model has no encoder E to recover codes with.";
            }
            if (scenes is null)
            {
                _skipped.TryAdd("modes",
                    "Mode coverage is defined for the built-in shapes data only.");
            }
            return new EvaluationResult
            {
                Options = options,
                Inputs = Inputs,
                DiversityL1 = _diversityL1.Average(),
                DiversityLpips = Mean(_diversityLpips),
                LpipsVersion = _diversityLpips.Count > 0 ? lpips!.Version : null,
                LpipsFiles = _diversityLpips.Count > 0 ? lpips!.Files : [],
                ReconstructionL1 = Mean(_reconL1),
                ReconstructionPsnr = Mean(_psnr),
                ReconstructionSsim = Mean(_ssim),
                LatentRecoveryL1 = Mean(_latent),
                Ndb = CompareBins(),
                ModeCoverage = Mean(_coverage),
                ModePrecision = _modes.Count > 0 ? ModeCoverage.Precision(_modes) : null,
                Skipped = _skipped,
                Examples = _examples,
            };
        }

        private void AddLpips(SampleSet set)
        {
            if (lpips is null)
            {
                _skipped.TryAdd("diversityLpips", "No LPIPS weights were given (--lpips-weights).");
                return;
            }
            var first = set.Samples[0];
            if (first.Height < Lpips.MinimumSide || first.Width < Lpips.MinimumSide)
            {
                _skipped.TryAdd("diversityLpips", $"LPIPS needs images of at least "
                    + $"{Lpips.MinimumSide}×{Lpips.MinimumSide} px; these are "
                    + $"{first.Width}×{first.Height}.");
                return;
            }
            _diversityLpips.Add(Diversity.Lpips(set.Samples, lpips));
        }

        private void AddReconstruction(SampleSet set)
        {
            if (set.GroundTruth is null)
            {
                _skipped.TryAdd("reconstruction", "The data has no ground truth B to reconstruct.");
                return;
            }
            if (set.Encoded is null) return;
            _reconL1.Add(UnitImage.MeanAbsoluteDifference(set.Encoded, set.GroundTruth));
            _psnr.Add(Psnr.Compute(set.Encoded, set.GroundTruth));
            var b = set.GroundTruth;
            if (b.Height >= Ssim.WindowSize && b.Width >= Ssim.WindowSize)
                _ssim.Add(Ssim.Compute(set.Encoded, set.GroundTruth));
        }

        private void AddModes(SampleSet set)
        {
            if (scenes is null || set.Index >= scenes.Count) return;
            var scene = scenes[set.Index];
            var sample = set.Samples[0];
            if (sample.Channels != 3 || sample.Height != scene.Size || sample.Width != scene.Size)
            {
                _skipped.TryAdd("modes", $"Samples are {sample.Width}×{sample.Height} px but the "
                    + $"scenes are {scene.Size}×{scene.Size}; evaluate without resizing "
                    + "(--preprocess none) so the masks line up.");
                return;
            }
            var classes = set.Samples.Select(s => ModeCoverage.Classify(scene, s)).ToList();
            _coverage.Add(ModeCoverage.Coverage(classes));
            _modes.AddRange(classes);
        }

        private NdbResult? CompareBins()
        {
            if (_realFeatures.Count < 2)
            {
                _skipped.TryAdd("ndb", "NDB bins the ground truths and needs at least 2 of them, "
                    + $"not {_realFeatures.Count}.");
                return null;
            }
            int bins = Math.Min(options.NdbBins, _realFeatures.Count);
            return Ndb.Compare(_realFeatures, _fakeFeatures, bins, options.Seed);
        }

        private static double? Mean(List<double> values) =>
            values.Count > 0 ? values.Average() : null;
    }
}
