using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace BicycleGan.Tests;

/// <summary>
/// Seeded damage to valid files, for fuzz tests. Blind damage (truncation, bit flips, random
/// bytes) finds parsers that trust lengths; header rewrites keep a file well-formed (checksums
/// recomputed, JSON valid, zip records intact) while changing what it claims, so the damage
/// reaches the checks behind the first line of defence.
/// </summary>
internal static class Mutations
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Truncation, 1-4 flipped bits, or 1-8 random bytes, favouring the first 40% and the end.</summary>
    public static (byte[] Bytes, string Description) Blind(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int Position() => random.Next(3) switch
        {
            0 => random.Next(Math.Max(1, bytes.Length * 2 / 5)),
            1 => bytes.Length - 1 - random.Next(Math.Min(bytes.Length, 120)),
            _ => random.Next(bytes.Length),
        };
        switch (random.Next(3))
        {
            case 0:
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            case 1:
                var flipped = new List<int>();
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    int at = Position();
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    flipped.Add(at);
                }
                return (bytes, $"bits flipped at {string.Join(",", flipped)}");
            default:
                int start = Position();
                int count = Math.Min(random.Next(1, 9), bytes.Length - start);
                random.NextBytes(bytes.AsSpan(start, count));
                return (bytes, $"{count} bytes overwritten at {start}");
        }
    }

    /// <summary>Sizes and counts a hostile header would claim.</summary>
    private static long Hostile(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => -1,
        2 => 1_000_000,
        3 => 1_000_000_000_000,
        4 => int.MaxValue,
        5 => long.MaxValue,
        6 => random.Next(1, 64),
        _ => random.NextInt64(),
    };

    /// <summary>
    /// Rewrites one claim of a safetensors header (a shape, a byte range, a dtype, a name or the
    /// metadata) and writes the header back with a correct length prefix.
    /// </summary>
    public static (byte[] Bytes, string Description) SafeTensorsHeader(byte[] file, Random random)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        byte[] data = file[(8 + headerLength)..];
        var names = header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
        string name = names[random.Next(names.Count)];
        var entry = header[name]!.AsObject();
        string description;
        switch (random.Next(6))
        {
            case 0:
                var shape = entry["shape"]!.AsArray();
                long claim = Hostile(random);
                if (shape.Count == 0 || random.Next(3) == 0) shape.Add(claim);
                else shape[random.Next(shape.Count)] = claim;
                description = $"shape of {name} claims {claim}";
                break;
            case 1:
                var offsets = entry["data_offsets"]!.AsArray();
                long end = Hostile(random);
                offsets[random.Next(2)] = end;
                description = $"a data offset of {name} claims {end}";
                break;
            case 2:
                string[] types = ["F64", "F16", "BF16", "I64", "I32", "I8", "U8", "BOOL", "F32", "C64", ""];
                string dtype = types[random.Next(types.Length)];
                entry["dtype"] = dtype;
                description = $"dtype of {name} rewritten to '{dtype}'";
                break;
            case 3:
                header.Remove(name);
                header["hostile." + name] = entry;
                description = $"{name} renamed";
                break;
            case 4:
                entry["shape"] = new JsonArray(1_000_000, 1_000_000);
                entry["data_offsets"] = new JsonArray(0, 4_000_000_000_000);
                description = $"{name} claims a trillion elements";
                break;
            default:
                header["__metadata__"] = random.Next(2) == 0 ? new JsonArray(1, 2) : JsonValue.Create(7);
                description = "metadata rewritten";
                break;
        }
        return (WithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()), data), description);
    }

    /// <summary>
    /// Rewrites an integer operand of the pickle (BININT1, BININT2, BININT, where counts, sizes,
    /// strides and offsets live) or one opcode.
    /// </summary>
    public static (byte[] Bytes, string Description) PickleIntegers(byte[] pickle, Random random)
    {
        byte[] bytes = (byte[])pickle.Clone();
        var sites = Enumerable.Range(0, bytes.Length - 4)
            .Where(i => bytes[i] is (byte)'J' or (byte)'K' or (byte)'M').ToList();
        if (sites.Count == 0 || random.Next(5) == 0)
        {
            int at = random.Next(bytes.Length);
            bytes[at] = (byte)random.Next(256);
            return (bytes, $"opcode at {at} rewritten");
        }
        int site = sites[random.Next(sites.Count)];
        long value = Hostile(random);
        int width = bytes[site] switch { (byte)'K' => 1, (byte)'M' => 2, _ => 4 };
        for (int b = 0; b < width; b++) bytes[site + 1 + b] = (byte)(value >> (8 * b));
        return (bytes, $"integer at {site} rewritten to {value}");
    }

    /// <summary>
    /// Applies <see cref="PickleIntegers"/> to a zip-format .pth, rebuilding the archive so its
    /// CRCs hold.
    /// </summary>
    public static (byte[] Bytes, string Description) ZipPickle(byte[] file, Random random)
    {
        using var source = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        string description = "";
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var read = new MemoryStream();
                using (var stream = entry.Open()) stream.CopyTo(read);
                byte[] content = read.ToArray();
                if (entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                    (content, description) = PickleIntegers(content, random);
                using var write = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                write.Write(content);
            }
        }
        return (output.ToArray(), "data.pkl " + description);
    }

    /// <summary>Rewrites a field of the IHDR chunk (size, depth, colour type, interlace) with a valid CRC.</summary>
    public static (byte[] Bytes, string Description) PngHeader(byte[] png, Random random)
    {
        byte[] bytes = (byte[])png.Clone();
        const int Ihdr = 16;
        string description;
        switch (random.Next(4))
        {
            case 0:
                uint size = (uint)Hostile(random);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(Ihdr + random.Next(2) * 4), size);
                description = $"IHDR size claims {size}";
                break;
            case 1:
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(Ihdr), 1_000_000);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(Ihdr + 4), 1_000_000);
                description = "IHDR claims 10^12 pixels";
                break;
            default:
                int field = Ihdr + 8 + random.Next(5);
                bytes[field] = (byte)random.Next(256);
                description = $"IHDR byte {field} rewritten to {bytes[field]}";
                break;
        }
        uint crc = Crc32(bytes.AsSpan(12, 17));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), crc);
        return (bytes, description);
    }

    /// <summary>Rewrites the frame header (SOFn: precision, height, width, components) of a JPEG.</summary>
    public static (byte[] Bytes, string Description) JpegHeader(byte[] jpeg, Random random)
    {
        byte[] bytes = (byte[])jpeg.Clone();
        int sof = Enumerable.Range(0, bytes.Length - 10)
            .First(i => bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC1 or 0xC2);
        int field = random.Next(4);
        switch (field)
        {
            case 0:
                bytes[sof + 4] = (byte)random.Next(256);
                return (bytes, $"precision rewritten to {bytes[sof + 4]}");
            case 3:
                bytes[sof + 9] = (byte)random.Next(256);
                return (bytes, $"component count rewritten to {bytes[sof + 9]}");
            default:
                ushort size = (ushort)(random.Next(2) == 0 ? 65535 : random.Next(65536));
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 3 + 2 * field), size);
                return (bytes, $"frame {(field == 1 ? "height" : "width")} claims {size}");
        }
    }

    private static byte[] WithHeader(byte[] header, byte[] data)
    {
        int padded = (header.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        data.CopyTo(bytes, 8 + padded);
        return bytes;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
