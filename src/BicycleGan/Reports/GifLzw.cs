namespace BicycleGan.Reports;

/// <summary>
/// The variable-width LZW code stream of a GIF image (GIF89a spec, appendix F) for 8-bit
/// palette indices: codes start 9 bits wide, grow to at most 12, and a clear code restarts the
/// table when it fills. Bits are packed least significant first.
/// </summary>
internal static class GifLzw
{
    /// <summary>Code size written before the data: 8 bits for a 256-entry palette.</summary>
    public const int MinCodeSize = 8;

    private const int ClearCode = 1 << MinCodeSize;
    private const int EndCode = ClearCode + 1;
    private const int FirstFree = ClearCode + 2;
    private const int MaxWidth = 12;

    // The table is restarted one entry early, at 4095, as giflib does: some decoders mishandle a
    // table that fills its last slot.
    private const int TableLimit = (1 << MaxWidth) - 1;

    /// <summary>The compressed code stream, not yet split into sub-blocks.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> indices)
    {
        var sink = new BitSink();
        var table = new Dictionary<int, int>();
        int width = MinCodeSize + 1;
        int next = FirstFree;
        sink.Write(ClearCode, width);
        if (indices.IsEmpty)
        {
            sink.Write(EndCode, width);
            return sink.ToArray();
        }

        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            int key = (prefix << 8) | indices[i];
            if (table.TryGetValue(key, out int code))
            {
                prefix = code;
                continue;
            }
            sink.Write(prefix, width);
            // The decoder adds its entry one code later than we do, so widen only once the
            // entries it will hold reach the current width's range.
            if (next >= 1 << width && width < MaxWidth) width++;
            if (next >= TableLimit)
            {
                sink.Write(ClearCode, width);
                table.Clear();
                next = FirstFree;
                width = MinCodeSize + 1;
            }
            else
            {
                table[key] = next++;
            }
            prefix = indices[i];
        }
        sink.Write(prefix, width);
        if (next >= 1 << width && width < MaxWidth) width++;
        sink.Write(EndCode, width);
        return sink.ToArray();
    }

    private sealed class BitSink
    {
        private readonly List<byte> _bytes = [];
        private int _pending;
        private int _pendingBits;

        public void Write(int code, int width)
        {
            _pending |= code << _pendingBits;
            _pendingBits += width;
            while (_pendingBits >= 8)
            {
                _bytes.Add((byte)_pending);
                _pending >>= 8;
                _pendingBits -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_pendingBits > 0) _bytes.Add((byte)_pending);
            _pending = 0;
            _pendingBits = 0;
            return [.. _bytes];
        }
    }
}
