using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace HttpServer.Testing;

/// <summary>
/// A ConfigMap volume laid out as the kubelet's AtomicWriter does: the files live in a timestamped
/// <c>..2026_11_28_00_00_00.123</c> directory, <c>..data</c> links to it and each key is a link to
/// <c>..data/key</c>. An update writes a new directory and swaps <c>..data</c> with one rename, so the
/// application never sees the files change in place (inotify watchers miss it; pollers see it).
/// </summary>
[SupportedOSPlatform("linux")] // symlinks, unix modes and libc rename(2), as on a node
public sealed partial class ConfigMapVolume(string hostPath, string mountPath)
{
    private const string DataLink = "..data";

    public string HostPath { get; } = hostPath;

    public string MountPath { get; } = mountPath;

    public IReadOnlyDictionary<string, string> Files { get; private set; } = new Dictionary<string, string>();

    public static ConfigMapVolume Create(string hostPath, string mountPath, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(hostPath);
        File.SetUnixFileMode(hostPath, ReadableDirectory);
        var volume = new ConfigMapVolume(hostPath, mountPath);
        volume.Update(files);
        return volume;
    }

    public void Update(IReadOnlyDictionary<string, string> files)
    {
        var previous = Directory.Exists(Path.Combine(HostPath, DataLink))
            ? new FileInfo(Path.Combine(HostPath, DataLink)).LinkTarget
            : null;
        var version = DateTime.UtcNow.ToString("..yyyy_MM_dd_HH_mm_ss.fffffff", CultureInfo.InvariantCulture);
        var versionPath = Path.Combine(HostPath, version);
        Directory.CreateDirectory(versionPath);
        File.SetUnixFileMode(versionPath, ReadableDirectory);
        foreach (var (key, content) in files)
        {
            var path = Path.Combine(versionPath, key);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var temporaryLink = Path.Combine(HostPath, "..data_tmp");
        File.Delete(temporaryLink);
        File.CreateSymbolicLink(temporaryLink, version);
        if (Rename(temporaryLink, Path.Combine(HostPath, DataLink)) != 0)
        {
            throw new IOException($"rename ..data_tmp -> ..data failed: errno {Marshal.GetLastPInvokeError()}");
        }

        foreach (var key in files.Keys.Where(key => !File.Exists(Path.Combine(HostPath, key))))
        {
            File.CreateSymbolicLink(Path.Combine(HostPath, key), Path.Combine(DataLink, key));
        }
        foreach (var key in Files.Keys.Where(key => !files.ContainsKey(key)))
        {
            File.Delete(Path.Combine(HostPath, key));
        }
        if (previous is not null && previous != version)
        {
            Directory.Delete(Path.Combine(HostPath, previous), recursive: true);
        }
        Files = new Dictionary<string, string>(files);
    }

    private const UnixFileMode ReadableDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // rename(2) replaces the ..data link atomically; File.Move refuses a link to a directory.
    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);
}
