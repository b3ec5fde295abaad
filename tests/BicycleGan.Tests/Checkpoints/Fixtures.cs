using System.Text.Json;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>
/// The .pth files made by tests/reference/make_pth_fixtures.py with PyTorch 1.13, and the
/// values PyTorch itself read back from them.
/// </summary>
internal static class Fixtures
{
    /// <summary>The file the hostile fixtures' payload would create if it ever ran.</summary>
    public const string PwnedMarker = "/tmp/bicyclegan-pwned-7c41d9e2";

    public static string Path(string name) =>
        System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Checkpoints", name);

    /// <summary>The tensors listed in an *_expected.json file, in its order.</summary>
    public static List<(string Name, Tensor Value)> Expected(string name) =>
        Parse(File.ReadAllBytes(Path(name)));

    /// <summary>
    /// Tensors from JSON of the form {name: {dtype, shape, values}}, dtype as PyTorch names it
    /// and values flattened in row-major order.
    /// </summary>
    public static List<(string Name, Tensor Value)> Parse(byte[] utf8Json)
    {
        using JsonDocument json = JsonDocument.Parse(utf8Json);
        var expected = new List<(string, Tensor)>();
        foreach (JsonProperty entry in json.RootElement.EnumerateObject())
        {
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray()
                .Select(size => size.GetInt64()).ToArray();
            JsonElement values = entry.Value.GetProperty("values");
            Tensor flat = entry.Value.GetProperty("dtype").GetString() switch
            {
                "float32" => tensor(Values(values, v => v.GetSingle())),
                "float64" => tensor(Values(values, v => v.GetDouble())),
                "float16" => tensor(Values(values, v => v.GetSingle())).to(ScalarType.Float16),
                "bfloat16" => tensor(Values(values, v => v.GetSingle())).to(ScalarType.BFloat16),
                "int64" => tensor(Values(values, v => v.GetInt64())),
                "int32" => tensor(Values(values, v => v.GetInt32())),
                "int16" => tensor(Values(values, v => v.GetInt16())),
                "int8" => tensor(Values(values, v => v.GetSByte())),
                "uint8" => tensor(Values(values, v => v.GetByte())),
                "bool" => tensor(Values(values, v => v.GetBoolean())),
                string other => throw new InvalidDataException(
                    $"The fixture dtype {other} is not handled."),
                null => throw new InvalidDataException("A fixture entry has no dtype."),
            };
            expected.Add((entry.Name, flat.reshape(shape)));
        }
        return expected;
    }

    private static T[] Values<T>(JsonElement values, Func<JsonElement, T> read) =>
        values.EnumerateArray().Select(read).ToArray();
}
