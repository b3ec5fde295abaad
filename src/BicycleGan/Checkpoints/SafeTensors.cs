using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an unsigned 64-bit little-endian header length, a
/// JSON header mapping each name to its dtype, shape and byte range (plus an optional
/// <c>__metadata__</c> object of strings), then the raw little-endian tensor bytes.
/// </summary>
/// <remarks>
/// The reader trusts nothing in the header: every claim is checked against the file's real
/// size before any tensor is allocated, so a hostile header cannot make it allocate more than
/// the file holds.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The longest header accepted; real headers are a few kilobytes.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>The most dimensions a tensor may have.</summary>
    public const int MaxRank = 64;

    internal const string MetadataKey = "__metadata__";
    private const string Kind = "safetensors file";

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="stream"/>: names in ordinal order so
    /// equal inputs give equal bytes, and a header padded with spaces to a multiple of 8 bytes
    /// so the data that follows is aligned.
    /// </summary>
    /// <param name="stream">Receives the file; it is not closed.</param>
    /// <param name="tensors">
    /// Tensors on any device, of type F32, F64, F16, BF16, I64, I32, I16, I8, U8 or BOOL.
    /// </param>
    /// <param name="metadata">Free-form string pairs stored in the header, or null.</param>
    public static void Write(
        Stream stream,
        IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        TensorBytes.EnsureLittleEndian();

        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        byte[] header = BuildHeader(names, tensors, metadata);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (string name in names)
        {
            TensorBytes.Write(stream, tensors[name]);
        }
    }

    /// <summary>Writes a safetensors file atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write(
        string path,
        IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata));
    }

    /// <summary>
    /// Reads every tensor of the safetensors file at <paramref name="path"/> onto the CPU, on
    /// the calling thread.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is malformed or truncated.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static CheckpointTensors Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TensorBytes.EnsureLittleEndian();
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.SequentialScan);
        try
        {
            return Read(path, stream);
        }
        catch (EndOfStreamException e)
        {
            throw CheckpointFormatException.For(path, Kind, "it ended before its last tensor", e);
        }
    }

    private static CheckpointTensors Read(string path, FileStream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < sizeof(ulong))
        {
            throw Defect(
                path, $"it is {fileLength} bytes long, too short to hold the header length");
        }
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
        {
            throw Defect(
                path,
                $"its header claims {headerLength} bytes, over the limit of {MaxHeaderBytes}");
        }
        if (headerLength > (ulong)(fileLength - sizeof(ulong)))
        {
            throw Defect(path, $"its header claims {headerLength} bytes but only "
                + $"{fileLength - sizeof(ulong)} follow the length");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        (List<Entry> entries, Dictionary<string, string> metadata) = ParseHeader(path, header);
        CheckRanges(path, entries, fileLength - sizeof(ulong) - (long)headerLength);
        return new CheckpointTensors(ReadTensors(stream, entries), metadata);
    }

    /// <summary>Reads the tensors, whose ranges were checked to tile the data exactly.</summary>
    private static Dictionary<string, Tensor> ReadTensors(Stream stream, List<Entry> entries)
    {
        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        try
        {
            foreach (Entry entry in entries)
            {
                Tensor tensor = empty(entry.Shape, entry.Type.Type);
                tensor.DetachFromDisposeScope();
                tensors.Add(entry.Name, tensor);
            }
            foreach (Entry entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                TensorBytes.ReadInto(stream, tensors[entry.Name]);
            }
            return tensors;
        }
        catch
        {
            CheckpointTensors.DisposeAll(tensors.Values);
            throw;
        }
    }

    private static byte[] BuildHeader(
        List<string> names,
        IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (string name in names)
            {
                offset = WriteEntry(json, name, tensors[name], offset);
            }
            json.WriteEndObject();
        }

        // Spaces are JSON whitespace, so padding keeps the header valid.
        while ((buffer.Length + sizeof(ulong)) % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static long WriteEntry(Utf8JsonWriter json, string name, Tensor tensor, long offset)
    {
        if (name == MetadataKey)
        {
            throw new ArgumentException(
                $"The name '{MetadataKey}' is reserved for metadata and cannot name a tensor.",
                nameof(tensor));
        }
        ElementType type = ElementType.Of(tensor, name);
        long end = offset + checked(tensor.numel() * type.Size);
        json.WriteStartObject(name);
        json.WriteString("dtype", type.SafeTensorsName);
        json.WriteStartArray("shape");
        foreach (long size in tensor.shape) json.WriteNumberValue(size);
        json.WriteEndArray();
        json.WriteStartArray("data_offsets");
        json.WriteNumberValue(offset);
        json.WriteNumberValue(end);
        json.WriteEndArray();
        json.WriteEndObject();
        return end;
    }

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(string path, byte[] header)
    {
        if (!Utf8.IsValid(header))
        {
            throw Defect(path, "its header is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            throw CheckpointFormatException.For(
                path, Kind, $"its header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Defect(path, "its header is not a JSON object");
            }
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Defect(path, $"its header names {Quote(property.Name)} twice");
                }
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ParseEntry(path, property.Name, property.Value));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(
        string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Defect(path, $"its {MetadataKey} is not an object of strings");
        }
        foreach (JsonProperty pair in value.EnumerateObject())
        {
            bool isString = pair.Value.ValueKind == JsonValueKind.String;
            if (!isString || !metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                throw Defect(path,
                    $"its {MetadataKey} entry {Quote(pair.Name)} is repeated or not a string");
            }
        }
    }

    private static Entry ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Defect(path, $"the header entry for {Quote(name)} is not an object");
        }
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadCounts(path, name, field);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadCounts(path, name, field);
                    break;
                default:
                    throw Defect(path, $"the entry for {Quote(name)} has an unexpected or repeated "
                        + $"field {Quote(field.Name)}");
            }
        }
        if (dtype is null || shape is null || offsets is null)
        {
            throw Defect(path, $"the entry for {Quote(name)} lacks dtype, shape or data_offsets");
        }
        ElementType type = ElementType.FromSafeTensorsName(dtype)
            ?? throw Defect(
                path, $"{Quote(name)} has the unknown or unsupported dtype {Quote(dtype)}");
        if (shape.Length > MaxRank)
        {
            throw Defect(path, $"{Quote(name)} has {shape.Length} dimensions, more than {MaxRank}");
        }
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw Defect(path, $"the data_offsets of {Quote(name)} are not a [begin, end] pair");
        }
        return new Entry(name, type, shape, offsets[0], offsets[1]);
    }

    /// <summary>A JSON array of whole numbers from 0 to 2^63 - 1.</summary>
    private static long[] ReadCounts(string path, string name, JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Array)
        {
            throw Defect(path, $"the {field.Name} of {Quote(name)} is not an array");
        }
        var counts = new long[field.Value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in field.Value.EnumerateArray())
        {
            bool isNumber = item.ValueKind == JsonValueKind.Number;
            if (!isNumber || !item.TryGetInt64(out long count) || count < 0)
            {
                throw Defect(path, $"the {field.Name} of {Quote(name)} holds {item.GetRawText()}, "
                    + "which is not a whole number from 0 to 2^63 - 1");
            }
            counts[i++] = count;
        }
        return counts;
    }

    /// <summary>
    /// Checks each range holds exactly its tensor and that the ranges tile the data: no gaps,
    /// no overlaps, nothing after the last one.
    /// </summary>
    private static void CheckRanges(string path, List<Entry> entries, long dataLength)
    {
        foreach (Entry entry in entries)
        {
            long bytes;
            try
            {
                bytes = checked(ElementCount(entry.Shape) * entry.Type.Size);
            }
            catch (OverflowException)
            {
                throw Defect(path,
                    $"the shape of {Quote(entry.Name)} has more elements than can be counted");
            }
            if (bytes != entry.End - entry.Begin)
            {
                throw Defect(path,
                    $"{Quote(entry.Name)} needs {bytes} bytes for its shape and type "
                    + $"but its range holds {entry.End - entry.Begin}");
            }
        }
        long expected = 0;
        foreach (Entry entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != expected)
            {
                string defect = entry.Begin < expected
                    ? "overlaps the one before it"
                    : "leaves a gap before it";
                throw Defect(path, $"the byte range of {Quote(entry.Name)} {defect}");
            }
            expected = entry.End;
        }
        if (expected != dataLength)
        {
            throw Defect(path, expected > dataLength
                ? $"its tensors need {expected} bytes of data but the file holds only {dataLength}"
                : $"{dataLength - expected} bytes follow the last tensor");
        }
    }

    /// <exception cref="OverflowException">The product exceeds a long.</exception>
    internal static long ElementCount(IEnumerable<long> shape)
    {
        long count = 1;
        foreach (long size in shape) count = checked(count * size);
        return count;
    }

    private static CheckpointFormatException Defect(string path, string defect) =>
        CheckpointFormatException.For(path, Kind, defect);

    private static string Quote(string text) => CheckpointFormatException.Quote(text);

    private sealed record Entry(string Name, ElementType Type, long[] Shape, long Begin, long End);
}
