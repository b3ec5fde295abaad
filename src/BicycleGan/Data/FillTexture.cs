namespace BicycleGan.Data;

/// <summary>How a shape's interior is painted in the <c>shapes</c> dataset.</summary>
public enum FillTexture
{
    /// <summary>The mode's colour everywhere.</summary>
    Solid,

    /// <summary>Diagonal stripes alternating the mode's colour and white.</summary>
    Stripes,
}
