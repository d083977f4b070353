using System.Diagnostics;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;

namespace HttpServer.Conformance.Tests;

/// <summary>A ConfigMap edit reaches a running pod through the kubelet's symlink swap and applies without a restart.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class ConfigReloadTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    private const string LevelKey = "Logging__LogLevel__Default";
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Log_level_changed_in_the_mounted_configmap_applies_without_restart()
    {
        var template = fixture.Template;
        var configDirectory = template.ConfigDirectory;
        Assert.NotNull(configDirectory);
        Assert.NotNull(template.MountedConfigMap);
        Assert.NotEqual("Debug", template.Setting(LevelKey));

        var (pod, timeToReady) = await KubeletEmulator.StartReadyAsync(template, new PodOptions { Revision = "config" }, TimeSpan.FromSeconds(90));
        await using var podLease = pod;
        using var probes = new HttpClient { BaseAddress = pod.AddressOf(template.Container.ReadinessProbe.HttpGet.Port.Value) };
        var before = await pod.StateAsync();
        Assert.Empty(ProbeLinesAtDebug(AppLog.Parse(await pod.LogsAsync())));

        // The ConfigMap is edited: the kubelet writes a new ..data version and swaps the link.
        var volume = pod.VolumeMountedAt(configDirectory);
        volume.Update(new Dictionary<string, string>(volume.Files) { [LevelKey] = "Debug" });
        var swappedAt = DateTime.UtcNow;
        var waited = Stopwatch.StartNew();
        LogEntry? firstDebug = null;
        while (firstDebug is null && waited.Elapsed < ReloadTimeout)
        {
            // The kubelet's probes come every few seconds; one more probe, where the kubelet sends its own, shortens the wait.
            using var _ = await probes.GetAsync("/healthz");
            await Task.Delay(500);
            firstDebug = ProbeLinesAtDebug(AppLog.Parse(await pod.LogsAsync())).FirstOrDefault();
        }
        var after = await pod.StateAsync();
        output.WriteLine(ConformanceSummary.Add(new SummaryRow($"ConfigMap symlink swap ({template.Name})", "Debug lines, no restart",
            0, 0, 0, null, timeToReady, null,
            firstDebug is null
                ? $"no Debug line within {ReloadTimeout.TotalSeconds:0} s"
                : $"{LevelKey}=Debug applied {(firstDebug.Timestamp - swappedAt).TotalSeconds:0.0} s after the swap; restarts {after.RestartCount}")));

        Assert.NotNull(firstDebug);
        Assert.True(firstDebug.Timestamp >= swappedAt.AddSeconds(-0.1), "Debug lines appeared before the swap");
        Assert.True(after.Running);
        Assert.Equal(before.StartedAt, after.StartedAt);
        Assert.Equal(0, after.RestartCount);
    }

    /// <summary>Access-log lines of probes, which are logged at AccessLog:ProbeLevel (Debug): visible only at level Debug.</summary>
    private static IEnumerable<LogEntry> ProbeLinesAtDebug(AppLog log) =>
        log.Entries.Where(e => e.Level == "Debug" && e.Category == "HttpServer.AccessLog"
            && (e.Message.Contains("/healthz", StringComparison.Ordinal) || e.Message.Contains("/readyz", StringComparison.Ordinal)));
}
