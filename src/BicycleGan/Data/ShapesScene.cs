namespace BicycleGan.Data;

/// <summary>
/// One example of the <c>shapes</c> dataset: one to three non-overlapping shapes and the fill
/// mode of its target. A (input) is the black outlines on white; B (target) adds the interiors
/// painted in the mode. The masks are exact, so evaluation can classify a generated image's
/// fill by comparing only interior pixels (see <see cref="ClosestMode"/>).
/// </summary>
/// <param name="Index">Example index within its split.</param>
/// <param name="Size">Side of the square image in pixels.</param>
/// <param name="OutlineWidth">Outline thickness in pixels: max(1, Size / 32).</param>
/// <param name="Shapes">The shapes, in drawing order.</param>
/// <param name="ModeIndex">Index into <see cref="ShapesModes.All"/> of the target's fill.</param>
public sealed record ShapesScene(int Index, int Size, double OutlineWidth, IReadOnlyList<Shape> Shapes,
    int ModeIndex)
{
    private const long SceneStream = 0x536861;

    /// <summary>The target's fill.</summary>
    public ShapeMode Mode => ShapesModes.All[ModeIndex];

    /// <summary>Whether pixel (x, y) is on an outline (black in A and B).</summary>
    public bool IsOutline(int x, int y) =>
        Shapes.Any(s => Math.Abs(s.SignedDistance(x + 0.5, y + 0.5)) <= OutlineWidth / 2);

    /// <summary>Whether pixel (x, y) is strictly inside a shape, clear of its outline.</summary>
    public bool IsInterior(int x, int y) =>
        Shapes.Any(s => s.SignedDistance(x + 0.5, y + 0.5) < -OutlineWidth / 2);

    /// <summary>Interior pixels, row-major (index y × Size + x).</summary>
    public bool[] InteriorMask() => Mask(IsInterior);

    /// <summary>Outline pixels, row-major (index y × Size + x).</summary>
    public bool[] OutlineMask() => Mask(IsOutline);

    /// <summary>The input: black outlines on white, 3 × Size × Size in [-1, 1].</summary>
    public HostImage RenderOutlines() => Render(null, OutlineMask(), new bool[Size * Size]);

    /// <summary>The target this scene would have under mode <paramref name="modeIndex"/>.</summary>
    public HostImage RenderFilled(int modeIndex) =>
        Render(ShapesModes.All[modeIndex], OutlineMask(), InteriorMask());

    /// <summary>The target: outlines with interiors in <see cref="Mode"/>.</summary>
    public HostImage RenderFilled() => RenderFilled(ModeIndex);

    /// <summary>
    /// The mode whose rendering is nearest to <paramref name="image"/> (3 × Size × Size, values
    /// in [-1, 1]) in mean squared error over the interior pixels.
    /// </summary>
    public int ClosestMode(HostImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels != 3 || image.Height != Size || image.Width != Size)
        {
            throw new ArgumentException($"A scene of side {Size} is classified from a 3×{Size}×{Size} "
                + $"image, not {image.Channels}×{image.Height}×{image.Width}.", nameof(image));
        }
        bool[] interior = InteriorMask();
        bool[] outline = OutlineMask();
        int best = 0;
        double bestError = double.MaxValue;
        for (int m = 0; m < ShapesModes.Count; m++)
        {
            var reference = Render(ShapesModes.All[m], outline, interior);
            double error = InteriorError(image, reference, interior);
            if (error < bestError) (best, bestError) = (m, error);
        }
        return best;
    }

    /// <summary>The scene of example <paramref name="index"/> of a split, from the seed alone.</summary>
    internal static ShapesScene Generate(int seed, int split, int index, int size)
    {
        var random = SplitMix.For(SceneStream, seed, split, index);
        double outline = Math.Max(1, size / 32);
        int wanted = 1 + random.NextInt(3);
        var shapes = new List<Shape>();
        // Rejection sampling: a few hundred tries always place the first shape and usually all.
        for (int attempt = 0; attempt < 200 && shapes.Count < wanted; attempt++)
        {
            var candidate = RandomShape(random, size, outline);
            if (shapes.All(s => Apart(s, candidate, outline))) shapes.Add(candidate);
        }
        int mode = random.NextInt(ShapesModes.Count);
        return new ShapesScene(index, size, outline, shapes, mode);
    }

    private static Shape RandomShape(SplitMix random, int size, double outline)
    {
        var kind = (ShapeKind)random.NextInt(3);
        double radius = random.NextDouble(0.12, 0.25) * size;
        var probe = new Shape(kind, 0, 0, radius);
        double margin = probe.BoundingRadius + outline + 1;
        double x = random.NextDouble(margin, size - margin);
        double y = random.NextDouble(margin, size - margin);
        return probe with { CenterX = x, CenterY = y };
    }

    private static bool Apart(Shape a, Shape b, double outline)
    {
        double dx = a.CenterX - b.CenterX;
        double dy = a.CenterY - b.CenterY;
        return Math.Sqrt(dx * dx + dy * dy) > a.BoundingRadius + b.BoundingRadius + 2 * outline;
    }

    private bool[] Mask(Func<int, int, bool> test)
    {
        bool[] mask = new bool[Size * Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++) mask[y * Size + x] = test(x, y);
        }
        return mask;
    }

    private HostImage Render(ShapeMode? fill, bool[] outline, bool[] interior)
    {
        int plane = Size * Size;
        float[] data = new float[3 * plane];
        Array.Fill(data, 1f);
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                int i = y * Size + x;
                if (outline[i]) SetPixel(data, plane, i, 0, 0, 0);
                else if (interior[i] && fill!.IsColouredAt(x, y, Size))
                    SetPixel(data, plane, i, fill.Red, fill.Green, fill.Blue);
            }
        }
        return new HostImage(data, 3, Size, Size);
    }

    private static void SetPixel(float[] data, int plane, int i, byte r, byte g, byte b)
    {
        data[i] = ImageCodec.FromByte(r);
        data[plane + i] = ImageCodec.FromByte(g);
        data[2 * plane + i] = ImageCodec.FromByte(b);
    }

    private static double InteriorError(HostImage image, HostImage reference, bool[] interior)
    {
        int plane = image.Height * image.Width;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < plane; i++)
        {
            if (!interior[i]) continue;
            for (int c = 0; c < 3; c++)
            {
                double d = image.Data[c * plane + i] - reference.Data[c * plane + i];
                sum += d * d;
            }
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }
}
