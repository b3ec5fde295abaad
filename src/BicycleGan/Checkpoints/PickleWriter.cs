using System.Buffers.Binary;
using System.Text;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Emits the protocol-2 pickle opcodes a state dict needs, nothing more: the shapes of what
/// PyTorch's own torch.save writes, so torch.load reads it unchanged.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _output = new();

    internal PickleWriter() => _output.Write([0x80, 2]);

    internal byte[] Finish()
    {
        _output.WriteByte((byte)'.');
        return _output.ToArray();
    }

    internal void Mark() => _output.WriteByte((byte)'(');

    internal void Tuple() => _output.WriteByte((byte)'t');

    internal void EmptyTuple() => _output.WriteByte((byte)')');

    internal void Reduce() => _output.WriteByte((byte)'R');

    internal void SetItems() => _output.WriteByte((byte)'u');

    internal void PersistentId() => _output.WriteByte((byte)'Q');

    internal void Bool(bool value) => _output.WriteByte(value ? (byte)0x88 : (byte)0x89);

    internal void Global(string module, string name)
    {
        _output.WriteByte((byte)'c');
        _output.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    internal void String(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
        _output.WriteByte((byte)'X');
        _output.Write(length);
        _output.Write(utf8);
    }

    /// <summary>BININT for values that fit 32 bits, else LONG1 with eight bytes.</summary>
    internal void Int(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            _output.WriteByte((byte)'J');
            _output.Write(bytes[..4]);
            return;
        }
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _output.Write([0x8a, 8]);
        _output.Write(bytes);
    }

    internal void IntTuple(IEnumerable<long> values)
    {
        Mark();
        foreach (long value in values) Int(value);
        Tuple();
    }
}
