namespace HttpServer.Api.Tests.Infrastructure;

/// <summary>
/// A ConfigMap volume laid out as the kubelet's atomic writer does: data in a timestamped folder,
/// <c>..data</c> a symlink to it, each key a symlink through <c>..data</c>; an update writes a new folder
/// and renames a fresh <c>..data_tmp</c> symlink over <c>..data</c>.
/// </summary>
public sealed class KubeletConfigMapVolume(string root)
{
    private int _generation;

    public void Publish(IReadOnlyDictionary<string, string> data)
    {
        var previous = Directory.Exists(Path.Combine(root, "..data")) ? Path.Combine(root, new FileInfo(Path.Combine(root, "..data")).LinkTarget!) : null;
        var folder = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++_generation}";
        Directory.CreateDirectory(Path.Combine(root, folder));
        foreach (var (key, value) in data)
        {
            File.WriteAllText(Path.Combine(root, folder, key), value);
        }
        var temporary = Path.Combine(root, "..data_tmp");
        File.CreateSymbolicLink(temporary, folder);
        // rename(2) over the old link, atomically, as the kubelet does (File.Move refuses links to folders).
        using (var rename = System.Diagnostics.Process.Start("mv", ["-T", temporary, Path.Combine(root, "..data")]))
        {
            rename.WaitForExit();
            if (rename.ExitCode != 0)
            {
                throw new IOException("mv -T failed to swap ..data");
            }
        }
        foreach (var key in data.Keys.Where(k => !File.Exists(Path.Combine(root, k))))
        {
            File.CreateSymbolicLink(Path.Combine(root, key), Path.Combine("..data", key));
        }
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }
}
