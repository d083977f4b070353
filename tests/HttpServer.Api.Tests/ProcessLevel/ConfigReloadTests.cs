using System.Runtime.Versioning;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
[SupportedOSPlatform("linux")] // the kubelet's ConfigMap volume layout
public sealed class ConfigReloadTests : IDisposable
{
    private readonly string _mount = Directory.CreateTempSubdirectory("httpserver-config-").FullName;

    [Fact]
    public async Task Log_level_swapped_in_through_the_kubelets_data_symlink_applies_without_restart()
    {
        var volume = ConfigMapVolume.Create(_mount, _mount, new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["VERSION"] = "v1" });
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["APP_CONFIG_DIR"] = _mount, ["VERSION"] = "from-env" });
        await api.WaitForReadyAsync();

        using (var beforeSwap = await api.Client.GetAsync("/before-swap"))
        {
            Assert.Equal(HttpStatusCode.NotFound, beforeSwap.StatusCode);
        }
        Assert.Equal(["v1"], (await api.Client.GetAsync("/")).Headers.GetValues("VERSION"));

        volume.Update(new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information", ["VERSION"] = "v2" });
        var deadline = DateTime.UtcNow.AddSeconds(20); // the directory is polled every 4 s
        var attempt = 0;
        while (!api.LogEntries(ApiProcess.AccessLogCategory).Any(e => e.GetProperty("Message").GetString()!.Contains("/after-swap")))
        {
            Assert.True(DateTime.UtcNow < deadline, "The new log level did not take effect within 20 s.");
            await api.Client.GetAsync($"/after-swap/{attempt++}");
            await Task.Delay(250);
        }

        // An /after-swap line is out, so the line of /before-swap, answered earlier, would be out too had it been logged.
        Assert.DoesNotContain(api.LogEntries(ApiProcess.AccessLogCategory), e => e.GetProperty("Message").GetString()!.Contains("/before-swap"));
        Assert.Equal(["v2"], (await api.Client.GetAsync("/")).Headers.GetValues("VERSION"));
        Assert.False(api.HasExited);
    }

    public void Dispose() => Directory.Delete(_mount, recursive: true);
}
