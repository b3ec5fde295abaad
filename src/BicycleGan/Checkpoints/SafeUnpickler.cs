using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Reads one pickle (protocols 2 to 5) without ever running code from it. Python's unpickler
/// imports any module-level name a file mentions and calls it; this one accepts only the few
/// names a PyTorch state dict needs (<see cref="IsAllowed"/>), applies them itself, and
/// refuses everything else, naming the offending global. Every length is checked against the
/// bytes left in the input before anything is allocated.
/// </summary>
internal sealed class SafeUnpickler
{
    internal const string Kind = "PyTorch checkpoint";

    private const int MaxIntegerBytes = 64;
    private const int MaxNameLength = 256;

    private static readonly object Mark = new();
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly string _path;
    private readonly Stream _input;
    private readonly Func<PickleTuple, object> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    /// <param name="path">The file, for messages.</param>
    /// <param name="input">Positioned at the first opcode; left just after STOP.</param>
    /// <param name="persistentLoad">Resolves a persistent id (a storage reference).</param>
    internal SafeUnpickler(string path, Stream input, Func<PickleTuple, object> persistentLoad)
    {
        _path = path;
        _input = input;
        _persistentLoad = persistentLoad;
    }

    /// <summary>True for the module-level names a plain state dict may mention.</summary>
    internal static bool IsAllowed(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => true,
        ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_parameter") => true,
        ("torch", _) => ElementType.FromStorageName(name) is not null,
        _ => false,
    };

    /// <summary>Reads up to and including the STOP opcode and returns the pickled value.</summary>
    internal object? Load()
    {
        while (true)
        {
            long position = _input.Position;
            byte opcode = ReadByte();
            if (opcode == (byte)'.')
            {
                if (_stack.Count == 0 || _marks.Count > 0)
                {
                    throw Defect("its pickle stops unbalanced");
                }
                return _stack[^1];
            }
            Execute(opcode, position);
        }
    }

    private void Execute(byte opcode, long position)
    {
        switch (opcode)
        {
            case 0x80: ReadProtocol(); break;
            case 0x95: ReadBytes(8); break; // FRAME: a length hint only
            case (byte)'(': _marks.Push(_stack.Count); break;
            case (byte)'0': if (_stack.Count > Floor()) Pop(); else PopMark(); break;
            case (byte)'1': PopMark(); break;
            case (byte)'2': Push(Peek()); break;
            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break;
            case 0x89: Push(false); break;
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
            case (byte)'K': Push((long)ReadByte()); break;
            case (byte)'M': Push((long)ReadUInt(2)); break;
            case 0x8a: Push(ReadLong(ReadByte())); break;
            case 0x8b: Push(ReadLong(ReadLength(4))); break;
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;
            case (byte)'X': Push(ReadUtf8(ReadLength(4))); break;
            case 0x8c: Push(ReadUtf8(ReadByte())); break;
            case 0x8d: Push(ReadUtf8(ReadLength(8))); break;
            case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break;
            case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break;
            case (byte)'B': Push(ReadBytes(ReadLength(4))); break;
            case (byte)'C': Push(ReadBytes(ReadByte())); break;
            case 0x8e: Push(ReadBytes(ReadLength(8))); break;
            case (byte)')': Push(new PickleTuple([])); break;
            case (byte)'t': Push(new PickleTuple(PopMark().ToArray())); break;
            case 0x85: Push(new PickleTuple(PopItems(1))); break;
            case 0x86: Push(new PickleTuple(PopItems(2))); break;
            case 0x87: Push(new PickleTuple(PopItems(3))); break;
            case (byte)']': Push(new List<object?>()); break;
            case (byte)'l': Push(PopMark()); break;
            case (byte)'a': Append(PopItems(1)); break;
            case (byte)'e': Append(PopMark()); break;
            case (byte)'}': Push(new PickleDict()); break;
            case (byte)'d': Push(Fill(new PickleDict(), PopMark())); break;
            case (byte)'s': Fill(PeekBelow<PickleDict>(2, "SETITEM"), PopItems(2)); break;
            case (byte)'u': SetItems(); break;
            case (byte)'c': Push(Global(ReadLine(), ReadLine())); break;
            case 0x93: StackGlobal(); break;
            case (byte)'R': Reduce(); break;
            case (byte)'b': Build(); break;
            case 0x81: NewObject(); break;
            case (byte)'Q': Push(_persistentLoad(Pop<PickleTuple>("a persistent id"))); break;
            case (byte)'h': Push(Recall(ReadByte())); break;
            case (byte)'j': Push(Recall(ReadUInt(4))); break;
            case (byte)'q': _memo[ReadByte()] = Peek(); break;
            case (byte)'r': _memo[ReadUInt(4)] = Peek(); break;
            case 0x94: _memo[_memo.Count] = Peek(); break;
            default:
                throw Defect($"its pickle uses opcode 0x{opcode:x2} at byte {position}, "
                    + "which no state dict needs");
        }
    }

    private void ReadProtocol()
    {
        byte version = ReadByte();
        if (version > 5) throw Defect($"its pickle uses protocol {version}; at most 5 is known");
    }

    private PickleGlobal Global(string module, string name)
    {
        if (!IsAllowed(module, name))
        {
            string what = $"{module}.{name}";
            bool plain = what.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');
            string shown = plain ? what : CheckpointFormatException.Quote(what);
            throw new CheckpointFormatException(
                $"The file '{_path}' refers to {shown}, "
                + "which is not allowed in a state dict; only tensors, their storages and "
                + "dictionaries are, so the file was not loaded.");
        }
        return new PickleGlobal(module, name);
    }

    private void StackGlobal()
    {
        string name = Pop<string>("a global's name");
        string module = Pop<string>("a global's module");
        Push(Global(module, name));
    }

    /// <summary>REDUCE: calls an allow-listed global, by doing what it would do.</summary>
    private void Reduce()
    {
        PickleTuple args = Pop<PickleTuple>("call arguments");
        PickleGlobal callable = Pop<PickleGlobal>("a callable");
        object?[] a = args.Items;
        object result = (callable.Module, callable.Name) switch
        {
            ("collections", "OrderedDict") when a.Length == 0 => new PickleDict(),
            ("collections", "OrderedDict") when a is [List<object?> pairs] => FromPairs(pairs),
            ("torch._utils", "_rebuild_tensor_v2") when a.Length is 6 or 7 => RebuildTensor(a),
            ("torch._utils", "_rebuild_tensor") when a.Length == 4 => RebuildTensor(a),
            ("torch._utils", "_rebuild_parameter") when a is [TensorRef data, bool, _] => data,
            _ => throw Defect($"its pickle calls {callable} with {a.Length} arguments of a kind "
                + "no state dict uses"),
        };
        Push(result);
    }

    /// <summary>NEWOBJ: only an empty OrderedDict may be made this way.</summary>
    private void NewObject()
    {
        PickleTuple args = Pop<PickleTuple>("constructor arguments");
        PickleGlobal type = Pop<PickleGlobal>("a class");
        if (type is not { Module: "collections", Name: "OrderedDict" } || args.Items.Length != 0)
        {
            throw Defect($"its pickle constructs {type}, which no state dict does");
        }
        Push(new PickleDict());
    }

    /// <summary>
    /// BUILD: Module.state_dict() attaches a <c>_metadata</c> attribute (layer versions) to its
    /// OrderedDict. Loading needs none of it, so the state is dropped.
    /// </summary>
    private void Build()
    {
        object? state = Pop();
        if (Peek() is not PickleDict || state is not (PickleDict or null))
        {
            throw Defect("its pickle sets the attributes of something other than a dictionary");
        }
    }

    private TensorRef RebuildTensor(object?[] a)
    {
        if (a[0] is not StorageView storage || a[1] is not long offset
            || a[2] is not PickleTuple size || a[3] is not PickleTuple stride)
        {
            throw Defect("its pickle rebuilds a tensor from arguments of the wrong kinds");
        }
        if (a.Length > 4 && (a[4] is not bool || a[5] is not PickleDict { Items.Count: 0 }))
        {
            throw Defect("its pickle rebuilds a tensor with a bad gradient flag or hooks");
        }
        return new TensorRef(storage, offset, Longs(size, "size"), Longs(stride, "stride"));
    }

    private long[] Longs(PickleTuple tuple, string what)
    {
        if (tuple.Items.Length > SafeTensors.MaxRank)
        {
            throw Defect($"a tensor {what} has {tuple.Items.Length} dimensions, "
                + $"more than {SafeTensors.MaxRank}");
        }
        return tuple.Items
            .Select(item => item as long? ?? throw Defect($"a tensor {what} holds a non-integer"))
            .ToArray();
    }

    private PickleDict FromPairs(List<object?> pairs)
    {
        var dict = new PickleDict();
        foreach (object? pair in pairs)
        {
            object?[] kv = pair switch
            {
                PickleTuple { Items.Length: 2 } t => t.Items,
                List<object?> { Count: 2 } l => l.ToArray(),
                _ => throw Defect("its pickle builds an OrderedDict from something but pairs"),
            };
            dict.Items.Add(new(kv[0], kv[1]));
        }
        return dict;
    }

    private void SetItems()
    {
        List<object?> items = PopMark();
        Fill(PeekBelow<PickleDict>(0, "SETITEMS"), items);
    }

    private PickleDict Fill(PickleDict dict, IReadOnlyList<object?> items)
    {
        if (items.Count % 2 != 0) throw Defect("its pickle sets a key without a value");
        for (int i = 0; i + 1 < items.Count; i += 2) dict.Items.Add(new(items[i], items[i + 1]));
        return dict;
    }

    private void Append(IEnumerable<object?> items)
    {
        if (Peek() is not List<object?> list)
        {
            throw Defect("its pickle appends to something that is not a list");
        }
        list.AddRange(items);
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out object? value)
            ? value
            : throw Defect($"its pickle recalls memo entry {index}, which was never stored");

    // The stack. Values below the newest mark belong to an outer construction and cannot be
    // popped by ordinary opcodes; hostile files that try are refused rather than misread.

    private int Floor() => _marks.Count > 0 ? _marks.Peek() : 0;

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() =>
        _stack.Count > Floor() ? _stack[^1] : throw Defect("its pickle reads from an empty stack");

    private object? Pop()
    {
        object? value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private T Pop<T>(string what) =>
        Pop() is T value
            ? value
            : throw Defect($"its pickle has something else where {what} belongs");

    private object?[] PopItems(int count)
    {
        if (_stack.Count - Floor() < count) throw Defect("its pickle reads from an empty stack");
        object?[] items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private T PeekBelow<T>(int depth, string opcode)
    {
        int index = _stack.Count - 1 - depth;
        if (index < Floor() || _stack[index] is not T value)
        {
            throw Defect($"its pickle applies {opcode} to something that is not a dictionary");
        }
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Defect("its pickle closes a mark it never opened");
        int start = _marks.Pop();
        List<object?> items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    // Input. Every length is checked against what is left before a buffer is allocated.

    private byte ReadByte()
    {
        int value = _input.ReadByte();
        return value >= 0 ? (byte)value : throw Defect("it ends in the middle of a pickle");
    }

    private byte[] ReadBytes(long count)
    {
        if (count > _input.Length - _input.Position)
        {
            throw Defect($"its pickle claims {count} bytes where only "
                + $"{_input.Length - _input.Position} remain");
        }
        var bytes = new byte[count];
        _input.ReadExactly(bytes);
        return bytes;
    }

    private uint ReadUInt(int width)
    {
        byte[] raw = ReadBytes(width);
        return width == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(raw)
            : BinaryPrimitives.ReadUInt32LittleEndian(raw);
    }

    private long ReadLength(int width)
    {
        byte[] raw = ReadBytes(width);
        long length = width switch
        {
            4 => BinaryPrimitives.ReadInt32LittleEndian(raw),
            _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(raw), long.MaxValue),
        };
        return length >= 0 ? length : throw Defect("its pickle holds a negative length");
    }

    private object ReadLong(long byteCount)
    {
        if (byteCount > MaxIntegerBytes)
        {
            throw Defect(
                $"its pickle holds a {byteCount}-byte integer, longer than any state dict needs");
        }
        var value = new BigInteger(ReadBytes(byteCount), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private string ReadUtf8(long byteCount)
    {
        try
        {
            return StrictUtf8.GetString(ReadBytes(byteCount));
        }
        catch (DecoderFallbackException e)
        {
            throw CheckpointFormatException.For(
                _path, Kind, "its pickle holds text that is not UTF-8", e);
        }
    }

    /// <summary>A newline-terminated ASCII name, as the GLOBAL opcode writes it.</summary>
    private string ReadLine()
    {
        var line = new StringBuilder();
        for (byte b = ReadByte(); b != (byte)'\n'; b = ReadByte())
        {
            if (line.Length == MaxNameLength)
            {
                throw Defect("its pickle names a global longer than any real one");
            }
            line.Append((char)b);
        }
        return line.ToString();
    }

    private CheckpointFormatException Defect(string defect) =>
        CheckpointFormatException.For(_path, Kind, defect);
}
