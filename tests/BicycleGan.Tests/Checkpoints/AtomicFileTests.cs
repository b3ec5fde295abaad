using BicycleGan.Checkpoints;

namespace BicycleGan.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Writing_replaces_the_old_content_and_leaves_no_temporary_file()
    {
        string path = _folder.File("weights.bin");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "new"u8.ToArray());

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_writer_that_fails_leaves_the_old_file_whole_and_no_temporary_file()
    {
        string path = _folder.File("weights.bin");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("The disk filled up.");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void Replacing_a_folder_swaps_in_the_new_content_marked_complete()
    {
        string latest = _folder.File("latest");
        AtomicDirectory.Replace(latest, dir => File.WriteAllText(Path.Combine(dir, "epoch"), "1"));

        AtomicDirectory.Replace(latest, dir => File.WriteAllText(Path.Combine(dir, "epoch"), "2"));

        Assert.Equal("2", File.ReadAllText(Path.Combine(latest, "epoch")));
        Assert.True(AtomicDirectory.IsComplete(latest));
        Assert.Equal([latest], Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_fill_that_fails_leaves_the_old_folder_and_removes_the_half_made_one()
    {
        string latest = _folder.File("latest");
        AtomicDirectory.Replace(latest, dir => File.WriteAllText(Path.Combine(dir, "epoch"), "1"));

        Assert.Throws<IOException>(() => AtomicDirectory.Replace(latest, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "epoch"), "2");
            throw new IOException("The disk filled up.");
        }));

        Assert.Equal("1", File.ReadAllText(Path.Combine(latest, "epoch")));
        Assert.Equal([latest], Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_reader_ignores_a_folder_without_the_complete_marker()
    {
        string latest = _folder.File("latest");
        Directory.CreateDirectory(latest);
        File.WriteAllText(Path.Combine(latest, "net_G.safetensors"), "half");

        Assert.Null(AtomicDirectory.Resolve(latest));
    }

    [Fact]
    public void A_reader_finds_the_old_folder_when_a_crash_fell_between_the_two_renames()
    {
        string latest = _folder.File("latest");
        string retired = CrashLeftover(latest, "1");

        Assert.Equal(retired, AtomicDirectory.Resolve(latest));
    }

    [Fact]
    public void The_next_replacement_cleans_up_after_a_crash()
    {
        string latest = _folder.File("latest");
        CrashLeftover(latest, "1");
        Directory.CreateDirectory(_folder.File("." + "latest." + new string('b', 32) + ".staging"));

        AtomicDirectory.Replace(latest, dir => File.WriteAllText(Path.Combine(dir, "epoch"), "2"));

        Assert.Equal("2", File.ReadAllText(Path.Combine(latest, "epoch")));
        Assert.Equal([latest], Directory.GetFileSystemEntries(_folder.Path));
    }

    [LinuxFact]
    public void On_linux_two_folders_swap_places_in_one_step()
    {
        string first = _folder.File("first");
        string second = _folder.File("second");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(first, "name"), "first");

        Assert.True(NativeFileSystem.TryExchange(first, second));

        Assert.True(File.Exists(Path.Combine(second, "name")));
        Assert.False(File.Exists(Path.Combine(first, "name")));
    }

    /// <summary>What the fallback swap leaves if the process dies after the first rename.</summary>
    private string CrashLeftover(string target, string epoch)
    {
        string name = "." + Path.GetFileName(target) + "." + new string('a', 32) + ".retired";
        string retired = _folder.File(name);
        Directory.CreateDirectory(retired);
        File.WriteAllText(Path.Combine(retired, "epoch"), epoch);
        File.WriteAllText(Path.Combine(retired, AtomicDirectory.CompleteMarker), "complete\n");
        return retired;
    }
}
