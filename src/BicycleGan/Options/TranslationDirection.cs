using System.Text.Json.Serialization;

namespace BicycleGan.Options;

/// <summary>Which side of a pair is the input.</summary>
public enum TranslationDirection
{
    /// <summary>The left half (or folder A) is the input, the right half (or B) the target.</summary>
    [JsonStringEnumMemberName("AtoB")]
    AtoB,

    /// <summary>The right half (or folder B) is the input, the left half (or A) the target.</summary>
    [JsonStringEnumMemberName("BtoA")]
    BtoA,
}
