using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Emulation;

/// <summary>The emulated kubelet writes ConfigMap volumes as the real one does, or the reload test would prove nothing.</summary>
public sealed class ConfigMapVolumeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"configmap-{Guid.NewGuid():N}");

    [Fact]
    public void Update_swaps_the_data_link_and_keeps_one_link_per_key()
    {
        var volume = ConfigMapVolume.Create(_root, "/config", new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" });
        var firstVersion = new FileInfo(Path.Combine(_root, "..data")).LinkTarget;

        volume.Update(new Dictionary<string, string> { ["A"] = "10", ["C"] = "3" });

        var secondVersion = new FileInfo(Path.Combine(_root, "..data")).LinkTarget;
        Assert.NotEqual(firstVersion, secondVersion);
        Assert.StartsWith("..", secondVersion);
        Assert.False(Directory.Exists(Path.Combine(_root, firstVersion!)));
        Assert.Equal(Path.Combine("..data", "A"), new FileInfo(Path.Combine(_root, "A")).LinkTarget);
        Assert.Equal("10", File.ReadAllText(Path.Combine(_root, "A")));
        Assert.Equal("3", File.ReadAllText(Path.Combine(_root, "C")));
        Assert.False(File.Exists(Path.Combine(_root, "B")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
