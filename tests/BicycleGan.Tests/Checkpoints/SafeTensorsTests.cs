using System.Buffers.Binary;
using System.Text;
using BicycleGan.Checkpoints;
using static TorchSharp.torch;

namespace BicycleGan.Tests.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SafeTensorsTests() => TorchRuntime.Initialize(1);

    public void Dispose() => _folder.Dispose();

    /// <summary>One small tensor of every supported type, with values that stress each.</summary>
    internal static Dictionary<string, Tensor> EveryType() => new()
    {
        ["f32"] = tensor(new[] { 1.5f, -0f, float.MaxValue, float.Epsilon }),
        ["f64"] = tensor(new[] { Math.PI, -1e300 }).reshape(2, 1),
        ["f16"] = tensor(new[] { 0.5f, -65504f, 3f }).to(ScalarType.Float16),
        ["bf16"] = tensor(new[] { 1f, -2.5f }).to(ScalarType.BFloat16),
        ["i64"] = tensor(new[] { long.MinValue, 1L << 40 }),
        ["i32"] = tensor(new[] { int.MaxValue, -3, 0, 7 }).reshape(2, 2),
        ["i16"] = tensor(new short[] { short.MinValue, 12 }),
        ["i8"] = tensor(new sbyte[] { -128, 127 }),
        ["u8"] = tensor(new byte[] { 0, 200, 255 }),
        ["bool"] = tensor(new[] { true, false, true }),
        ["scalar"] = tensor(2.25f),
        ["empty"] = zeros(0, 3),
    };

    [Fact]
    public void Every_supported_type_round_trips_bit_for_bit_with_its_metadata()
    {
        var tensors = EveryType();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "12" };
        string path = _folder.File("all.safetensors");

        SafeTensors.Write(path, tensors, metadata);
        using CheckpointTensors read = SafeTensors.Read(path);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), read.Tensors.Keys);
        foreach (var (name, expected) in tensors)
        {
            TensorAssert.Identical(expected, read.Tensors[name], name);
        }
        Assert.Equal(metadata, read.Metadata);
    }

    [Fact]
    public void Equal_dictionaries_give_equal_bytes_whatever_their_insertion_order()
    {
        var forward = new Dictionary<string, Tensor> { ["b"] = ones(2), ["a"] = zeros(3) };
        var backward = new Dictionary<string, Tensor> { ["a"] = zeros(3), ["b"] = ones(2) };

        byte[] first = WriteToBytes(forward);
        byte[] second = WriteToBytes(backward);

        Assert.Equal(first, second);
        string header = Encoding.UTF8.GetString(first, 8, HeaderLength(first));
        int a = header.IndexOf("\"a\"", StringComparison.Ordinal);
        int b = header.IndexOf("\"b\"", StringComparison.Ordinal);
        Assert.InRange(a, 1, b - 1);
    }

    [Fact]
    public void A_one_tensor_file_has_exactly_the_bytes_the_format_specifies()
    {
        var tensors = new Dictionary<string, Tensor> { ["x"] = tensor(new[] { 1f }) };
        var metadata = new Dictionary<string, string> { ["k"] = "v" };
        using var stream = new MemoryStream();

        SafeTensors.Write(stream, tensors, metadata);

        // 8-byte length, JSON padded with spaces to 8 + 80 bytes, then 1.0f little-endian.
        string json = "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] expected = [80, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(json.PadRight(80)),
            0x00, 0x00, 0x80, 0x3f];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void The_header_is_padded_so_the_data_starts_on_an_8_byte_boundary()
    {
        byte[] bytes = WriteToBytes(new Dictionary<string, Tensor> { ["x"] = ones(1) });

        Assert.Equal(0, (8 + HeaderLength(bytes)) % 8);
    }

    [Fact]
    public void A_transposed_tensor_is_written_in_its_logical_order()
    {
        using Tensor matrix = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using Tensor transposed = matrix.t();
        string path = _folder.File("t.safetensors");

        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        using CheckpointTensors read = SafeTensors.Read(path);

        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, read.Tensors["t"].data<float>().ToArray());
    }

    [Fact]
    public void The_reserved_metadata_name_cannot_name_a_tensor()
    {
        var tensors = new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) };

        var error = Assert.Throws<ArgumentException>(() => WriteToBytes(tensors));
        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_refused()
    {
        AssertRefused(new byte[] { 1, 2, 3 }, "too short to hold the header length");
    }

    [Fact]
    public void A_header_longer_than_the_file_is_refused_without_allocating_it()
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        AssertRefused(bytes, "claims 1000 bytes but only 8 follow");
    }

    [Fact]
    public void A_header_over_the_size_limit_is_refused()
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        AssertRefused(bytes, "over the limit of 104857600");
    }

    public static TheoryData<string, int, string> MalformedHeaders => new()
    {
        { "{'x': {'dtype': 'F32'", 0, "not valid JSON" },
        { "[1, 2]", 0, "not a JSON object" },
        { "{" + Entry("x", "F8_E4M3", "[1]", "[0, 1]") + "}", 1, "unsupported dtype 'F8_E4M3'" },
        { "{" + Entry("x", "F32", "[-1]", "[0, 4]") + "}", 4, "not a whole number" },
        { "{" + Entry("x", "F32", "[1.5]", "[0, 4]") + "}", 4, "not a whole number" },
        {
            "{" + Entry("x", "F32", "[4611686018427387904, 4]", "[0, 4]") + "}", 4,
            "more elements than can be counted"
        },
        { "{" + Entry("x", "F32", "[2]", "[0, 8]") + "}", 4, "holds only 4" },
        { "{" + Entry("x", "F32", "[2]", "[0, 4]") + "}", 4, "needs 8 bytes" },
        { "{" + Entry("x", "F32", "[1]", "[4, 0]") + "}", 4, "not a [begin, end] pair" },
        {
            "{" + Entry("a", "F32", "[2]", "[0, 8]")
                + ", " + Entry("b", "F32", "[1]", "[4, 8]") + "}",
            8, "overlaps"
        },
        {
            "{" + Entry("a", "F32", "[1]", "[0, 4]")
                + ", " + Entry("b", "F32", "[1]", "[8, 12]") + "}",
            12, "leaves a gap"
        },
        { "{" + Entry("x", "F32", "[1]", "[0, 4]") + "}", 8, "4 bytes follow the last tensor" },
        {
            "{" + Entry("x", "F32", "[1]", "[0, 4]")
                + ", " + Entry("x", "F32", "[1]", "[4, 8]") + "}",
            8, "names 'x' twice"
        },
        {
            "{'x': {'dtype': 'F32', 'shape': [1], 'data_offsets': [0, 4], 'extra': 1}}", 4,
            "unexpected or repeated field 'extra'"
        },
        { "{'__metadata__': {'a': 1}}", 0, "not a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void A_malformed_header_is_refused_with_a_message_naming_the_defect(
        string header, int dataBytes, string defect)
    {
        byte[] json = Encoding.UTF8.GetBytes(header.Replace('\'', '"'));
        AssertRefused(Craft(json, dataBytes), defect);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_refused()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"\u00e9\": 1}");
        header[3] = 0xff;
        AssertRefused(Craft(header, 0), "not valid UTF-8");
    }

    [Fact]
    public void A_file_cut_short_in_its_data_is_refused()
    {
        byte[] whole = WriteToBytes(new Dictionary<string, Tensor> { ["x"] = ones(16) });
        AssertRefused(whole[..^5], "holds only 59");
    }

    private void AssertRefused(byte[] bytes, string defect)
    {
        string path = _folder.File(Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<CheckpointFormatException>(
            () => SafeTensors.Read(path).Dispose());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(defect, error.Message, StringComparison.Ordinal);
    }

    /// <summary>One header entry; single quotes stand for double quotes.</summary>
    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"'{name}': {{'dtype': '{dtype}', 'shape': {shape}, 'data_offsets': {offsets}}}";

    private static byte[] Craft(byte[] header, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] WriteToBytes(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors);
        return stream.ToArray();
    }

    private static int HeaderLength(byte[] file) =>
        (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
}
