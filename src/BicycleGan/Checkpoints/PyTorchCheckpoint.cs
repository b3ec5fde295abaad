using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using static TorchSharp.torch;

namespace BicycleGan.Checkpoints;

/// <summary>
/// Reads and writes PyTorch <c>.pth</c> state dicts without Python and without running code
/// from the file. Reads both the zip format (PyTorch 1.6 and later) and the legacy format
/// before it, in which the official BicycleGAN checkpoints may be; writes the zip format.
/// </summary>
/// <remarks>
/// A <c>.pth</c> file is a Python pickle, and unpickling with Python runs whatever the file
/// names (a crafted checkpoint can call <c>os.system</c>). This reader only understands the
/// names a plain state dict uses and refuses the file at the first other one.
/// </remarks>
public static class PyTorchCheckpoint
{
    private const string Kind = SafeUnpickler.Kind;
    private const long LegacyProtocolVersion = 1001;

    /// <summary>The first pickle of a legacy file.</summary>
    private static readonly BigInteger LegacyMagicNumber = BigInteger.Parse(
        "01950a86a20f9469cfc6c", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the state dict at <paramref name="path"/> (an OrderedDict or dict of names to
    /// tensors) onto the CPU, keeping the file's order. Strided and offset views are read as
    /// the values they show, into contiguous tensors.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// The file is malformed, truncated, hostile, or holds something other than a flat
    /// mapping from names to tensors of a supported element type.
    /// </exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static CheckpointTensors Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TensorBytes.EnsureLittleEndian();
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

        // Storages read on the way are freed with this scope; the results are detached from it.
        using var scope = NewDisposeScope();
        try
        {
            bool isZip = stream.Length >= 4 && stream.ReadByte() == 'P' && stream.ReadByte() == 'K';
            stream.Position = 0;
            Dictionary<string, Tensor> tensors =
                isZip ? ReadZip(path, stream) : ReadLegacy(path, stream);
            return new CheckpointTensors(tensors, new Dictionary<string, string>());
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException
            or NotSupportedException or (IOException and not FileNotFoundException))
        {
            // The zip reader reports damaged archives in these types.
            throw CheckpointFormatException.For(path, Kind, $"it is damaged ({e.Message})", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> as a zip-format state dict that <c>torch.load</c>
    /// reads as an OrderedDict in the same order; written atomically (see
    /// <see cref="AtomicFile"/>). Each tensor is stored contiguously with its own storage.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        TensorBytes.EnsureLittleEndian();
        AtomicFile.Write(path, stream => WriteZip(stream, tensors));
    }

    private static Dictionary<string, Tensor> ReadZip(string path, FileStream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var pickles = zip.Entries
            .Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length)
            .ToList();
        if (pickles.Count != 1)
        {
            throw Defect(
                path, $"it is a zip archive with {pickles.Count} data.pkl records, not one");
        }
        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        if (zip.GetEntry(prefix + "byteorder") is { } order
            && !ReadEntry(path, order, stream.Length).AsSpan().SequenceEqual("little"u8))
        {
            throw Defect(path, "it was written with big-endian byte order");
        }

        var storages = new StorageTable(path, legacy: false);
        using var pickle = new MemoryStream(ReadEntry(path, pickles[0], stream.Length));
        object? top = new SafeUnpickler(path, pickle, storages.Resolve).Load();
        return Materialize(
            path, top, stream.Length, root => ReadZipStorage(path, zip, prefix, root));
    }

    private static Tensor ReadZipStorage(
        string path, ZipArchive zip, string prefix, StorageRef root)
    {
        ZipArchiveEntry entry = zip.GetEntry($"{prefix}data/{root.Key}")
            ?? throw Defect(path, $"the data of storage {Quote(root.Key)} is missing");
        long expected = checked(root.Numel * root.Type.Size);
        if (entry.Length != expected)
        {
            throw Defect(path, $"storage {Quote(root.Key)} holds {entry.Length} bytes, "
                + $"not the {expected} its {root.Numel} elements need");
        }
        Tensor storage = empty(root.Numel, root.Type.Type);
        using Stream data = entry.Open();
        TensorBytes.ReadInto(data, storage);
        return storage;
    }

    /// <summary>An archive record, refused if it claims to be larger than the whole file.</summary>
    private static byte[] ReadEntry(string path, ZipArchiveEntry entry, long fileLength)
    {
        if (entry.Length > fileLength)
        {
            throw Defect(path, $"its record {Quote(entry.FullName)} claims {entry.Length} bytes, "
                + "more than the file holds");
        }
        var bytes = new byte[entry.Length];
        using Stream data = entry.Open();
        data.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// The pre-1.6 layout: pickles of the magic number, the protocol version and system
    /// facts, then the state dict, then the list of storage keys, then each storage's element
    /// count (unsigned 64-bit) and raw bytes, in the order of that list.
    /// </summary>
    private static Dictionary<string, Tensor> ReadLegacy(string path, FileStream stream)
    {
        if (LoadPlain(path, stream) is not BigInteger magic || magic != LegacyMagicNumber)
        {
            throw Defect(path, "it is neither a zip archive nor a legacy PyTorch file "
                + "(it lacks the magic number)");
        }
        if (LoadPlain(path, stream) is not LegacyProtocolVersion)
        {
            throw Defect(path, $"its legacy protocol version is not {LegacyProtocolVersion}");
        }
        if (LoadPlain(path, stream) is PickleDict facts && facts.Items.Any(
            p => p.Key is "little_endian" && p.Value is false))
        {
            throw Defect(path, "it was written on a big-endian machine");
        }

        var storages = new StorageTable(path, legacy: true);
        object? top = new SafeUnpickler(path, stream, storages.Resolve).Load();
        if (LoadPlain(path, stream) is not List<object?> keys || keys.Any(k => k is not string))
        {
            throw Defect(path, "its list of storage keys is not a list of strings");
        }
        var data = new Dictionary<StorageRef, Tensor>();
        foreach (string key in keys.Cast<string>())
        {
            StorageRef root = storages.Find(key)
                ?? throw Defect(path, $"it stores data for {Quote(key)}, which no tensor uses");
            if (data.ContainsKey(root)) throw Defect(path, $"it stores {Quote(key)} twice");
            data[root] = ReadLegacyStorage(path, stream, root);
        }
        return Materialize(path, top, stream.Length, root => data.TryGetValue(root, out Tensor? t)
            ? t
            : throw Defect(path, $"the data of storage {Quote(root.Key)} is missing"));
    }

    private static Tensor ReadLegacyStorage(string path, Stream stream, StorageRef root)
    {
        Span<byte> count = stackalloc byte[8];
        stream.ReadExactly(count);
        ulong numel = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(count);
        if (numel != (ulong)root.Numel)
        {
            throw Defect(path, $"storage {Quote(root.Key)} holds {numel} elements, "
                + $"not the {root.Numel} its tensors were saved with");
        }
        long bytes = checked(root.Numel * root.Type.Size);
        if (bytes > stream.Length - stream.Position)
        {
            throw Defect(path, $"storage {Quote(root.Key)} needs {bytes} bytes "
                + $"but only {stream.Length - stream.Position} remain");
        }
        Tensor storage = empty(root.Numel, root.Type.Type);
        TensorBytes.ReadInto(stream, storage);
        return storage;
    }

    /// <summary>A pickle that may not reference storages (the legacy header pickles).</summary>
    private static object? LoadPlain(string path, Stream stream)
    {
        var unpickler = new SafeUnpickler(
            path, stream, _ => throw Defect(path, "a header pickle references a storage"));
        return unpickler.Load();
    }

    /// <summary>
    /// Turns the unpickled state dict into tensors: checks every view against its storage and
    /// the total against the file size before allocating, then copies each view out.
    /// </summary>
    private static Dictionary<string, Tensor> Materialize(
        string path, object? top, long fileLength, Func<StorageRef, Tensor> readStorage)
    {
        List<(string Name, TensorRef Ref)> entries = Entries(path, top);
        CheckTotalSize(path, entries, fileLength);

        var storages = new Dictionary<StorageRef, Tensor>();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensorRef) in entries)
            {
                StorageRef root = tensorRef.Storage.Root;
                if (!storages.TryGetValue(root, out Tensor? storage))
                {
                    storages[root] = storage = readStorage(root);
                }
                tensors.Add(name, CopyOut(storage, tensorRef));
            }
            return tensors;
        }
        catch
        {
            CheckpointTensors.DisposeAll(tensors.Values);
            throw;
        }
    }

    /// <summary>
    /// Storages are stored in the file (PyTorch never compresses them) and tensors copy from
    /// them, so needing more bytes than the file has is a lie meant to exhaust memory.
    /// </summary>
    private static void CheckTotalSize(
        string path, List<(string Name, TensorRef Ref)> entries, long fileLength)
    {
        long needed;
        try
        {
            long tensorBytes = 0;
            foreach (var (name, tensorRef) in entries)
            {
                long numel = CheckBounds(path, name, tensorRef);
                tensorBytes = checked(tensorBytes + numel * tensorRef.Storage.Root.Type.Size);
            }
            long storageBytes = entries.Select(e => e.Ref.Storage.Root).Distinct()
                .Aggregate(0L, (sum, root) => checked(sum + root.Numel * root.Type.Size));
            needed = Math.Max(tensorBytes, storageBytes);
        }
        catch (OverflowException)
        {
            needed = long.MaxValue;
        }
        if (needed > fileLength)
        {
            throw Defect(path, $"its tensors would need {needed} bytes, more than the "
                + $"{fileLength} of the file");
        }
    }

    private static Tensor CopyOut(Tensor storage, TensorRef view)
    {
        Tensor tensor = empty(view.Size, storage.dtype);
        tensor.DetachFromDisposeScope();
        if (tensor.numel() > 0)
        {
            long offset = view.Storage.Offset + view.Offset;
            using Tensor source = storage.as_strided(view.Size, view.Stride, offset);
            tensor.copy_(source);
        }
        return tensor;
    }

    private static List<(string, TensorRef)> Entries(string path, object? top)
    {
        if (top is not PickleDict dict)
        {
            throw Defect(path, $"it holds {Describe(top)} where a state dict "
                + "(a mapping from names to tensors) belongs");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<(string, TensorRef)>();
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
            {
                throw Defect(path, $"its state dict has {Describe(key)} as a key");
            }
            if (!names.Add(name)) throw Defect(path, $"its state dict names {Quote(name)} twice");
            if (value is not TensorRef tensor)
            {
                throw Defect(path, $"the entry {Quote(name)} is {Describe(value)}, not a tensor");
            }
            entries.Add((name, tensor));
        }
        return entries;
    }

    /// <summary>Checks the view stays inside its storage; returns its element count.</summary>
    private static long CheckBounds(string path, string name, TensorRef view)
    {
        if (view.Offset < 0 || view.Size.Any(s => s < 0) || view.Stride.Any(s => s < 0)
            || view.Size.Length != view.Stride.Length)
        {
            throw Defect(path, $"the tensor {Quote(name)} has a negative or inconsistent size, "
                + "stride or offset");
        }
        try
        {
            long numel = SafeTensors.ElementCount(view.Size);
            long last = view.Offset;
            for (int i = 0; i < view.Size.Length && numel > 0; i++)
            {
                last = checked(last + (view.Size[i] - 1) * view.Stride[i]);
            }
            bool inside = numel == 0 ? last <= view.Storage.Numel : last < view.Storage.Numel;
            if (!inside)
            {
                throw Defect(path, $"the tensor {Quote(name)} reaches element {last} of a storage "
                    + $"with {view.Storage.Numel}");
            }
            return numel;
        }
        catch (OverflowException)
        {
            throw Defect(path, $"the tensor {Quote(name)} has more elements than can be counted");
        }
    }

    private static void WriteZip(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var storages = new List<(string Key, Tensor Tensor)>();
        var pickle = new PickleWriter();
        pickle.Global("collections", "OrderedDict");
        pickle.EmptyTuple();
        pickle.Reduce();
        pickle.Mark();
        foreach (var (name, tensor) in tensors)
        {
            string key = storages.Count.ToString(CultureInfo.InvariantCulture);
            storages.Add((key, tensor));
            pickle.String(name);
            WriteTensor(pickle, key, ElementType.Of(tensor, name), tensor.shape);
        }
        pickle.SetItems();
        byte[] data = pickle.Finish();

        // PyTorch reads the archive's folder name from its first record; "archive" is what
        // torch.save itself uses since 2.0.
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        AddRecord(zip, "archive/data.pkl", s => s.Write(data));
        AddRecord(zip, "archive/byteorder", s => s.Write("little"u8));
        foreach (var (key, tensor) in storages)
        {
            AddRecord(zip, $"archive/data/{key}", s => TensorBytes.Write(s, tensor));
        }
        AddRecord(zip, "archive/version", s => s.Write("3\n"u8));
    }

    /// <summary>
    /// The call torch.save pickles for a tensor: _rebuild_tensor_v2(storage, offset 0, size,
    /// contiguous stride, requires_grad False, no hooks).
    /// </summary>
    private static void WriteTensor(PickleWriter pickle, string key, ElementType type, long[] shape)
    {
        pickle.Global("torch._utils", "_rebuild_tensor_v2");
        pickle.Mark();
        pickle.Mark();
        pickle.String("storage");
        pickle.Global("torch", type.StorageName);
        pickle.String(key);
        pickle.String("cpu");
        pickle.Int(SafeTensors.ElementCount(shape));
        pickle.Tuple();
        pickle.PersistentId();
        pickle.Int(0);
        pickle.IntTuple(shape);
        pickle.IntTuple(ContiguousStrides(shape));
        pickle.Bool(false);
        pickle.Global("collections", "OrderedDict");
        pickle.EmptyTuple();
        pickle.Reduce();
        pickle.Tuple();
        pickle.Reduce();
    }

    /// <summary>Row-major strides; like PyTorch, a dimension of size 0 counts as 1.</summary>
    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    private static void AddRecord(ZipArchive zip, string name, Action<Stream> write)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        // A fixed time keeps equal state dicts byte-identical.
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using Stream stream = entry.Open();
        write(stream);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        bool => "a boolean",
        long or BigInteger => "an integer",
        double => "a float",
        byte[] => "bytes",
        PickleTuple => "a tuple",
        List<object?> => "a list",
        PickleDict => "a dictionary",
        StorageView => "a bare storage",
        TensorRef => "a single tensor",
        PickleGlobal g => g.ToString(),
        _ => "an unknown value",
    };

    private static CheckpointFormatException Defect(string path, string defect) =>
        CheckpointFormatException.For(path, Kind, defect);

    private static string Quote(string text) => CheckpointFormatException.Quote(text);

    /// <summary>
    /// The storages a pickle references by persistent id. Zip files send
    /// ('storage', type, key, location, numel); legacy files add a sixth item, the view.
    /// </summary>
    private sealed class StorageTable(string path, bool legacy)
    {
        private readonly Dictionary<string, StorageRef> _byKey = new(StringComparer.Ordinal);

        internal StorageRef? Find(string key) => _byKey.GetValueOrDefault(key);

        internal object Resolve(PickleTuple id)
        {
            object?[] items = id.Items;
            if (items.Length != (legacy ? 6 : 5) || items[0] is not "storage"
                || items[1] is not PickleGlobal { Module: "torch" } type
                || ElementType.FromStorageName(type.Name) is not { } elementType
                || items[2] is not string key || items[3] is not string
                || items[4] is not long numel || numel < 0 || numel > long.MaxValue / 8)
            {
                throw Defect(path, "its pickle references something other than a tensor storage");
            }
            if (!_byKey.TryGetValue(key, out StorageRef? root))
            {
                _byKey[key] = root = new StorageRef(key, elementType, numel);
            }
            if (root.Type != elementType || root.Numel != numel)
            {
                throw Defect(path, $"storage {Quote(key)} is described in two different ways");
            }
            return legacy ? View(root, items[5]) : new StorageView(root, 0, numel);
        }

        /// <summary>Legacy view metadata: None, or (key, element offset, element count).</summary>
        private StorageView View(StorageRef root, object? metadata)
        {
            switch (metadata)
            {
                case null:
                    return new StorageView(root, 0, root.Numel);
                case PickleTuple { Items: [string, long offset, long count] }
                    when offset >= 0 && count >= 0 && offset <= root.Numel - count:
                    return new StorageView(root, offset, count);
                default:
                    throw Defect(path, $"storage {Quote(root.Key)} has a view outside its bounds");
            }
        }
    }
}
