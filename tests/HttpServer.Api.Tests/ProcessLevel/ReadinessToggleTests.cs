using System.Runtime.Versioning;
using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>An operator takes a real server out of rotation on the management port and back; a config reload in between changes nothing.</summary>
[Collection(RealProcesses.Name)]
[SupportedOSPlatform("linux")] // the kubelet's ConfigMap volume layout
public sealed class ReadinessToggleTests : IDisposable
{
    private readonly string _mount = Directory.CreateTempSubdirectory("httpserver-config-").FullName;

    [Fact]
    public async Task Readiness_disabled_by_an_operator_stays_off_through_a_config_reload_until_enabled_again()
    {
        var volume = ConfigMapVolume.Create(_mount, _mount, new Dictionary<string, string> { ["VERSION"] = "v1" });
        await using var server = await ManagedApi.StartAsync(new() { ["APP_CONFIG_DIR"] = _mount });
        var (api, management) = (server.Api, server.Management);

        using (var disable = await management.PostAsync("/readyz/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.StatusAsync("/readyz"));
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/healthz")); // live, and still answering requests
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/version"));

        volume.Update(new Dictionary<string, string> { ["VERSION"] = "v2" });
        var deadline = DateTime.UtcNow.AddSeconds(20); // the directory is polled every 4 s
        while ((await api.Client.GetAsync("/")).Headers.GetValues("VERSION").Single() != "v2")
        {
            Assert.True(DateTime.UtcNow < deadline, "The reload did not apply within 20 s.");
            await Task.Delay(250);
        }
        using (var settings = JsonDocument.Parse(await management.GetStringAsync("/settings")))
        {
            Assert.Equal("applied", settings.RootElement.GetProperty("lastReload").GetProperty("result").GetString());
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await api.StatusAsync("/readyz"));

        using (var enable = await management.PostAsync("/readyz/enable", null))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/readyz"));

        var changes = api.LogEntries("HttpServer.ServiceDefaults.Management.ReadinessToggle").Select(e => e.GetProperty("Message").GetString()).ToList();
        Assert.Equal(2, changes.Count);
        Assert.StartsWith("Readiness disabled", changes[0], StringComparison.Ordinal);
        Assert.StartsWith("Readiness enabled", changes[1], StringComparison.Ordinal);
        var metrics = await management.GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^httpserver_readiness_disabled(\{[^}]*\})? 0", metrics);
        Assert.Matches(@"httpserver_readiness_toggles_total\{[^}]*state=""disabled""[^}]*\} 1", metrics);
    }

    public void Dispose() => Directory.Delete(_mount, recursive: true);
}
