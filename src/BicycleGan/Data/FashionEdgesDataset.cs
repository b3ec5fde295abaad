using BicycleGan.Options;

namespace BicycleGan.Data;

/// <summary>
/// <c>fashion-edges</c>: Fashion-MNIST garments with their edge maps, a small stand-in for
/// edges2shoes. B is the garment (grayscale, upscaled bilinearly from 28 px), A its edges: Sobel
/// gradient magnitude of B above a threshold, black on white. The train split reads
/// train-images, val and test read consecutive, disjoint ranges of t10k-images.
/// </summary>
public sealed class FashionEdgesDataset : IPairedDataset, IRawPairSource
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Gradient magnitude (Sobel, on pixel values in [0, 1]) above which a pixel is an edge. A
    /// clean step of 1 measures 4, so this keeps edges of a fifth of full contrast and up.
    /// </summary>
    public const float EdgeThreshold = 0.8f;

    private readonly IdxImages _images;
    private readonly int _first;
    private readonly string _splitName;
    private readonly PairTransform _transform;

    /// <param name="directory">Folder holding the IDX files.</param>
    /// <param name="split">train, val or test.</param>
    /// <param name="first">First image of the split's file to use.</param>
    /// <param name="count">Images to use.</param>
    /// <param name="size">Side of the upscaled images, at least 28. Default 32.</param>
    /// <param name="options">Preprocessing, direction and channels.</param>
    /// <exception cref="DatasetException">The files are missing (with the command that installs
    /// them), malformed, or hold fewer images than asked for.</exception>
    public FashionEdgesDataset(string directory, string split, int first, int count, int size,
        DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 28);
        string file = Path.Combine(directory, BuiltinSpec.SplitNumber(split, "fashion-edges") == 0
            ? "train-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte.gz");
        if (!File.Exists(file))
        {
            throw new DatasetException($"Fashion-MNIST file '{file}' was not found; install the files "
                + "with `apt-get install dataset-fashion-mnist` (Debian), or pass dir=<folder>.");
        }
        _images = IdxImages.Read(file);
        if ((long)first + count > _images.Count)
        {
            throw new DatasetException($"Split {split} of fashion-edges asks for images {first} to "
                + $"{first + count - 1} but '{file}' holds {_images.Count}.");
        }
        _first = first;
        _splitName = split;
        _transform = new PairTransform(options);
        Count = count;
        Size = size;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>Side of the generated images in pixels.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public string Describe(int index) => $"builtin:fashion-edges/{_splitName}/{index:D5}";

    /// <inheritdoc/>
    public PairedImage Load(int index, AugmentParams aug)
    {
        var (a, b) = Raw(index);
        return _transform.Apply(a, b, aug, Describe(index));
    }

    /// <summary>Edge map (A) and garment (B), 1 × Size × Size each, as generated.</summary>
    public (HostImage A, HostImage B) Raw(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int rows = _images.Rows;
        int columns = _images.Columns;
        int offset = (_first + index) * rows * columns;
        float[] garment = new float[rows * columns];
        for (int i = 0; i < garment.Length; i++)
            garment[i] = ImageCodec.FromByte(_images.Pixels[offset + i]);
        var original = new HostImage(garment, 1, rows, columns);
        var b = ImageOps.Resize(original, Size, Size, ResampleFilter.Bilinear);
        return (Edges(b), b);
    }

    private static HostImage Edges(HostImage image)
    {
        int h = image.Height;
        int w = image.Width;
        float[] edges = new float[h * w];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // Sobel on [0, 1] values; borders repeat the edge pixel.
                float gx = P(image, x + 1, y - 1) + 2 * P(image, x + 1, y) + P(image, x + 1, y + 1)
                    - P(image, x - 1, y - 1) - 2 * P(image, x - 1, y) - P(image, x - 1, y + 1);
                float gy = P(image, x - 1, y + 1) + 2 * P(image, x, y + 1) + P(image, x + 1, y + 1)
                    - P(image, x - 1, y - 1) - 2 * P(image, x, y - 1) - P(image, x + 1, y - 1);
                bool edge = MathF.Sqrt(gx * gx + gy * gy) > EdgeThreshold;
                edges[y * w + x] = edge ? -1f : 1f;
            }
        }
        return new HostImage(edges, 1, h, w);
    }

    private static float P(HostImage image, int x, int y)
    {
        x = Math.Clamp(x, 0, image.Width - 1);
        y = Math.Clamp(y, 0, image.Height - 1);
        return (image.Data[y * image.Width + x] + 1f) / 2f;
    }
}
