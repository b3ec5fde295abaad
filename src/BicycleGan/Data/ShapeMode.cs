namespace BicycleGan.Data;

/// <summary>
/// One of the fills a <c>shapes</c> target may use: a colour and a texture. Every shape in one
/// image shares the image's mode, so an outline has <see cref="ShapesModes.Count"/> right answers.
/// </summary>
/// <param name="Index">Position in <see cref="ShapesModes.All"/>.</param>
/// <param name="Name">For example "red-stripes".</param>
/// <param name="Red">Colour, 0–255.</param>
/// <param name="Green">Colour, 0–255.</param>
/// <param name="Blue">Colour, 0–255.</param>
/// <param name="Texture">Solid or stripes.</param>
public sealed record ShapeMode(int Index, string Name, byte Red, byte Green, byte Blue, FillTexture Texture)
{
    /// <summary>
    /// Whether pixel (x, y) of an image of side <paramref name="size"/> takes the colour (true)
    /// or white (false). Stripes run diagonally with period max(4, size / 8) pixels.
    /// </summary>
    public bool IsColouredAt(int x, int y, int size)
    {
        if (Texture == FillTexture.Solid) return true;
        int half = StripePeriod(size) / 2;
        return (x + y) / half % 2 == 0;
    }

    /// <summary>Stripe period in pixels for an image of side <paramref name="size"/>.</summary>
    public static int StripePeriod(int size) => Math.Max(4, size / 8);
}
