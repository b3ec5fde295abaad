#nullable enable
// Marks the GLIBCXX_3.4.32 version need of TorchSharp's native shim as WEAK, so that the shim
// loads on systems with GCC 12's libstdc++ (Debian 12). Only one symbol,
// _ZSt21ios_base_library_initv, is bound to that version and nothing relocates against it, so
// the loader may safely accept its absence. The task refuses to patch when any other symbol
// needs the version: a future TorchSharp that really depends on GCC 13 must fail loudly.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class LibTorchSharpCompat : Task
{
    private const uint SectionVerneed = 0x6ffffffe;
    private const uint SectionVersym = 0x6fffffff;
    private const uint SectionDynsym = 11;
    private const ushort VerFlagWeak = 2;
    private const string Version = "GLIBCXX_3.4.32";
    private const string OnlySymbol = "_ZSt21ios_base_library_initv";

    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            byte[] elf = File.ReadAllBytes(Source);
            string outcome = Patch(elf);
            Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
            string temp = Destination + ".tmp";
            File.WriteAllBytes(temp, elf);
            if (File.Exists(Destination)) File.Delete(Destination);
            File.Move(temp, Destination);
            Log.LogMessage(MessageImportance.Normal, $"libLibTorchSharp.so: {outcome} -> {Destination}");
            return true;
        }
        catch (InvalidDataException e)
        {
            Log.LogError($"Cannot apply the libstdc++ compatibility fix to '{Source}': {e.Message}");
            return false;
        }
    }

    private static string Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file.");
        ulong sectionTable = U64(elf, 0x28);
        int entrySize = U16(elf, 0x3A);
        int count = U16(elf, 0x3C);
        Section? verneed = null, versym = null, dynsym = null;
        for (int i = 0; i < count; i++)
        {
            var s = new Section(elf, (int)sectionTable + i * entrySize);
            if (s.Type == SectionVerneed) verneed = s;
            else if (s.Type == SectionVersym) versym = s;
            else if (s.Type == SectionDynsym) dynsym = s;
        }
        if (verneed is null || versym is null || dynsym is null)
            throw new InvalidDataException("no symbol version sections found.");
        Section strings = new Section(elf, (int)sectionTable + (int)verneed.Link * entrySize);

        int need = (int)verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            int aux = need + (int)U32(elf, need + 8);
            for (int a = 0; a < U16(elf, need + 2); a++)
            {
                string name = CString(elf, (int)strings.Offset + (int)U32(elf, aux + 8));
                if (name == Version)
                {
                    CheckOnlyUser(elf, versym, dynsym, entrySize, (ushort)U16(elf, aux + 6));
                    ushort flags = (ushort)(U16(elf, aux + 4) | VerFlagWeak);
                    elf[aux + 4] = (byte)flags;
                    elf[aux + 5] = (byte)(flags >> 8);
                    return $"{Version} marked weak";
                }
                aux += (int)U32(elf, aux + 12);
            }
            need += (int)U32(elf, need + 12);
        }
        return $"no {Version} need, copied unchanged";
    }

    private static void CheckOnlyUser(byte[] elf, Section versym, Section dynsym, int entrySize,
        ushort versionIndex)
    {
        var names = new Section(elf, (int)U64(elf, 0x28) + (int)dynsym.Link * entrySize);
        int symbols = (int)(dynsym.Size / 24);
        for (int i = 0; i < symbols; i++)
        {
            if ((U16(elf, (int)versym.Offset + 2 * i) & 0x7fff) != versionIndex) continue;
            string symbol = CString(elf, (int)names.Offset + (int)U32(elf, (int)dynsym.Offset + 24 * i));
            if (symbol != OnlySymbol)
                throw new InvalidDataException(
                    $"symbol '{symbol}' also needs {Version}; this TorchSharp really needs GCC 13's libstdc++.");
        }
    }

    private sealed class Section
    {
        public Section(byte[] elf, int at)
        {
            Type = U32(elf, at + 4);
            Offset = U64(elf, at + 0x18);
            Size = U64(elf, at + 0x20);
            Link = U32(elf, at + 0x28);
            Info = U32(elf, at + 0x2C);
        }
        public uint Type { get; }
        public ulong Offset { get; }
        public ulong Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private static int U16(byte[] b, int at) => b[at] | (b[at + 1] << 8);
    private static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);
    private static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

    private static string CString(byte[] b, int at)
    {
        int end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
