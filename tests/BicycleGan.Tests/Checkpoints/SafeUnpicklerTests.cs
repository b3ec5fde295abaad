using System.IO.Compression;
using System.Text;
using BicycleGan.Checkpoints;

namespace BicycleGan.Tests.Checkpoints;

/// <summary>
/// Hand-written pickles that try what a hostile checkpoint would: name a dangerous global, call
/// something that is not a tensor rebuilder, use opcodes that construct arbitrary objects, or
/// claim huge sizes. Each must be refused with a message saying what was wrong.
/// </summary>
public sealed class SafeUnpicklerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SafeUnpicklerTests() => TorchRuntime.Initialize(1);

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> HostilePickles => new()
    {
        {
            "\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.",
            "refers to os.system, which is not allowed"
        },
        {
            "\u0080\u0004\u008c\u0008builtins\u008c\u0004eval\u0093.",
            "refers to builtins.eval, which is not allowed"
        },
        {
            "\u0080\u0002cos\nsys\u001btem\n.",
            "refers to 'os.sys\\u001btem', which is not allowed"
        },
        { "\u0080\u0002(X\u0002\u0000\u0000\u0000lsios\nsystem\n.", "opcode 0x69 at byte 10" },
        { "\u0080\u0002ctorch\nFloatStorage\n)R.", "calls torch.FloatStorage with 0 arguments" },
        {
            "\u0080\u0002ccollections\nOrderedDict\nK\u0001\u0085\u0081.",
            "constructs collections.OrderedDict"
        },
        { "\u0080\u0002]}b.", "sets the attributes of something other than a dictionary" },
        { "\u0080\u0002X\u00ff\u00ff\u00ff\u007f.", "claims 2147483647 bytes where only 1 remain" },
        { "\u0080\u0002\u008b\u0000\u0000\u0000\u0040.", "1073741824-byte integer" },
        { "\u0080\u0002h\u0007.", "memo entry 7, which was never stored" },
        { "\u0080\u0002N", "ends in the middle of a pickle" },
        { "\u0080\u0002(.", "stops unbalanced" },
        { "\u0080\u0002(K\u0001d.", "sets a key without a value" },
        { "\u0080\u0009N.", "protocol 9" },
    };

    /// <summary>Pickles as Latin-1 text: each character \u0000 to \u00ff is one byte.</summary>
    [Theory]
    [MemberData(nameof(HostilePickles))]
    public void A_hostile_or_broken_pickle_is_refused_with_its_defect(string pickle, string defect)
    {
        string path = _folder.File("data.pkl");
        using var input = new MemoryStream(Encoding.Latin1.GetBytes(pickle));
        var unpickler = new SafeUnpickler(
            path, input, _ => throw new InvalidOperationException("No storage was expected."));

        var error = Assert.Throws<CheckpointFormatException>(() => unpickler.Load());

        Assert.Contains(defect, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_storage_claiming_more_elements_than_the_file_holds_is_refused_before_allocating()
    {
        string path = CraftPth(numel: 1L << 40, size: [1], stride: [1], offset: 0);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("would need 4398046511104 bytes, more than the", error);
    }

    [Fact]
    public void A_view_reaching_past_its_storage_is_refused()
    {
        string path = CraftPth(numel: 4, size: [2, 2], stride: [3, 1], offset: 0);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("'x' reaches element 4 of a storage with 4", error);
    }

    [Fact]
    public void A_negative_stride_is_refused()
    {
        string path = CraftPth(numel: 4, size: [2], stride: [-1], offset: 3);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("negative or inconsistent size, stride or offset", error);
    }

    [Fact]
    public void A_valid_crafted_view_reads_the_elements_it_points_at()
    {
        string path = CraftPth(numel: 4, size: [2], stride: [2], offset: 1);

        using CheckpointTensors read = PyTorchCheckpoint.Read(path);

        Assert.Equal(new[] { 1f, 3f }, read.Tensors["x"].data<float>().ToArray());
    }

    [Fact]
    public void A_file_holding_something_other_than_a_dictionary_is_refused()
    {
        var pickle = new PickleWriter();
        pickle.IntTuple([1, 2]);
        string path = WriteZipPth(pickle.Finish(), []);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("holds a tuple where a state dict", error);
    }

    [Fact]
    public void A_state_dict_entry_that_is_not_a_tensor_is_refused()
    {
        var pickle = OrderedDictOpened();
        pickle.String("y");
        pickle.Int(3);
        pickle.SetItems();
        string path = WriteZipPth(pickle.Finish(), []);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("the entry 'y' is an integer, not a tensor", error);
    }

    [Fact]
    public void A_persistent_id_that_is_not_a_storage_is_refused()
    {
        var pickle = OrderedDictOpened();
        pickle.String("y");
        pickle.Global("torch._utils", "_rebuild_tensor_v2");
        pickle.EmptyTuple();
        pickle.PersistentId();
        pickle.SetItems();
        string path = WriteZipPth(pickle.Finish(), []);

        var error = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpoint.Read(path));

        AssertMentions("references something other than a tensor storage", error);
    }

    private static void AssertMentions(string defect, CheckpointFormatException error) =>
        Assert.Contains(defect, error.Message, StringComparison.Ordinal);

    /// <summary>A pickle that has made an OrderedDict and opened the mark for its items.</summary>
    private static PickleWriter OrderedDictOpened()
    {
        var pickle = new PickleWriter();
        pickle.Global("collections", "OrderedDict");
        pickle.EmptyTuple();
        pickle.Reduce();
        pickle.Mark();
        return pickle;
    }

    /// <summary>
    /// A zip .pth holding one float tensor 'x' on storage '0', whose bytes are 0, 1, 2, … as
    /// float32 up to the real byte count (at most 4 elements are stored).
    /// </summary>
    private string CraftPth(long numel, long[] size, long[] stride, long offset)
    {
        var pickle = OrderedDictOpened();
        pickle.String("x");
        pickle.Global("torch._utils", "_rebuild_tensor_v2");
        pickle.Mark();
        pickle.Mark();
        pickle.String("storage");
        pickle.Global("torch", "FloatStorage");
        pickle.String("0");
        pickle.String("cpu");
        pickle.Int(numel);
        pickle.Tuple();
        pickle.PersistentId();
        pickle.Int(offset);
        pickle.IntTuple(size);
        pickle.IntTuple(stride);
        pickle.Bool(false);
        pickle.Global("collections", "OrderedDict");
        pickle.EmptyTuple();
        pickle.Reduce();
        pickle.Tuple();
        pickle.Reduce();
        pickle.SetItems();
        byte[] data = Enumerable.Range(0, (int)Math.Min(numel, 4))
            .SelectMany(i => BitConverter.GetBytes((float)i)).ToArray();
        return WriteZipPth(pickle.Finish(), new() { ["0"] = data });
    }

    private string WriteZipPth(byte[] pickle, Dictionary<string, byte[]> storages)
    {
        string path = _folder.File(Guid.NewGuid().ToString("N") + ".pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "crafted/data.pkl", pickle);
            foreach (var (key, bytes) in storages) Add(zip, $"crafted/data/{key}", bytes);
            Add(zip, "crafted/version", "3\n"u8.ToArray());
        }
        return path;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using Stream stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }
}
