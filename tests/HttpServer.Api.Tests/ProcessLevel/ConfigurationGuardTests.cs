using System.Runtime.Versioning;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>
/// A ConfigMap edit reaches every pod at once: a bad value on reload must be refused by the running server, which
/// keeps its last good configuration whole, says so once, stays ready, and applies the next valid edit.
/// </summary>
[Collection(RealProcesses.Name)]
[SupportedOSPlatform("linux")] // the kubelet's ConfigMap volume layout
public sealed class ConfigurationGuardTests : IDisposable
{
    private const string GuardCategory = "HttpServer.ServiceDefaults.Configuration.SettingsGuard";
    private readonly string _mount = Directory.CreateTempSubdirectory("httpserver-guard-").FullName;

    [Theory]
    [InlineData("FaultInjection__ErrorRate", "5")]
    [InlineData("FaultInjection__ErrorRate", "abc")]
    [InlineData("FaultInjection__DelayMinMs", "-1")]
    [InlineData("FaultInjection__ErrorStatusCode", "200")]
    [InlineData("AccessLog__Level", "abc")]
    [InlineData("Downstream__AttemptTimeoutSeconds", "10")] // the total's default is 5
    [InlineData("VERSION", "caf\u00e9")]
    [InlineData("VERSION", "v2\r\nX-Injected: 1")]
    [InlineData("FaultInjection__ErrorRate", "")] // an empty file
    [InlineData("FaultInjecton__ErrorRate", "1")] // a misspelt section
    [InlineData("AllowedHosts", "httpserver.example.com")] // read by the framework, unjudged: every probe would get 400
    [InlineData("Logging__Console__FormatterOptions__IncludeScopes", "yes")] // read by the framework: every request would fail
    public async Task A_bad_value_on_reload_is_refused_whole_and_the_server_keeps_serving_ready(string key, string value)
    {
        var volume = ConfigMapVolume.Create(_mount, _mount, new Dictionary<string, string> { ["VERSION"] = "v1" });
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["APP_CONFIG_DIR"] = _mount });
        await api.WaitForReadyAsync();

        // A good change rides along with the bad one: "whole" means neither applies.
        volume.Update(new Dictionary<string, string> { ["VERSION"] = key == "VERSION" ? value : "v2", [key] = value });
        var rejection = await WaitForGuardLineAsync(api, "rejected");
        for (var i = 0; i < 20; i++)
        {
            using var response = await api.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["v1"], response.Headers.GetValues("VERSION"));
        }
        using var healthz = await api.Client.GetAsync("/healthz");
        var metrics = await api.Client.GetStringAsync("/metrics");

        Assert.Equal("Error", rejection.GetProperty("LogLevel").GetString());
        Assert.Contains(key.Replace("__", ":", StringComparison.Ordinal) + " = \"", rejection.GetProperty("Message").GetString());
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/readyz"));
        Assert.Equal("Healthy", await healthz.Content.ReadAsStringAsync());
        Assert.Single(api.LogEntries(GuardCategory)); // one line for the edit, none per request
        Assert.DoesNotContain(api.Lines, l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) && !l.Contains(GuardCategory, StringComparison.Ordinal));
        Assert.Contains("httpserver_configuration_last_reload_success{otel_scope_name=\"HttpServer.Configuration\"} 0", metrics);
        Assert.Contains("result=\"rejected\"} 1", metrics);
    }

    [Fact]
    public async Task The_next_valid_edit_after_a_refused_one_is_applied()
    {
        var volume = ConfigMapVolume.Create(_mount, _mount, new Dictionary<string, string> { ["VERSION"] = "v1" });
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["APP_CONFIG_DIR"] = _mount });
        await api.WaitForReadyAsync();
        volume.Update(new Dictionary<string, string> { ["VERSION"] = "v2", ["FaultInjection__ErrorRate"] = "5" });
        await WaitForGuardLineAsync(api, "rejected");

        volume.Update(new Dictionary<string, string> { ["VERSION"] = "v3", ["FaultInjection__ErrorRate"] = "1" });
        await WaitForGuardLineAsync(api, "applied");
        using var response = await api.Client.GetAsync("/");
        var metrics = await api.Client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // the injected error, every time at rate 1
        Assert.Equal(["v3"], response.Headers.GetValues("VERSION"));
        Assert.Contains("httpserver_configuration_last_reload_success{otel_scope_name=\"HttpServer.Configuration\"} 1", metrics);
    }

    [Fact]
    public async Task A_reload_that_changes_a_setting_read_at_start_says_it_waits_for_the_next_start()
    {
        var volume = ConfigMapVolume.Create(_mount, _mount, new Dictionary<string, string> { ["VERSION"] = "v1" });
        await using var server = await ManagedApi.StartAsync(new() { ["APP_CONFIG_DIR"] = _mount });
        var api = server.Api;

        volume.Update(new Dictionary<string, string> { ["VERSION"] = "v2", ["Lifecycle__DrainDelaySeconds"] = "30", ["FaultInjection__ErrorRate"] = "0" });
        var warning = await WaitForGuardLineAsync(api, "read at start");
        using var settings = System.Text.Json.JsonDocument.Parse(await server.Management.GetStringAsync("/settings"));
        using var response = await api.Client.GetAsync("/");

        Assert.Equal("Warning", warning.GetProperty("LogLevel").GetString());
        Assert.EndsWith("Lifecycle:DrainDelaySeconds", warning.GetProperty("Message").GetString(), StringComparison.Ordinal);
        var reload = settings.RootElement.GetProperty("lastReload");
        Assert.Equal("applied", reload.GetProperty("result").GetString());
        Assert.Equal(["Lifecycle:DrainDelaySeconds"], reload.GetProperty("restartNeeded").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["v2"], response.Headers.GetValues("VERSION")); // what is read live applies
    }

    private static async Task<System.Text.Json.JsonElement> WaitForGuardLineAsync(ApiProcess api, string word)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20); // the directory is polled every 4 s
        while (DateTime.UtcNow < deadline)
        {
            var line = api.LogEntries(GuardCategory).LastOrDefault(e => e.GetProperty("Message").GetString()!.Contains(word, StringComparison.Ordinal));
            if (line.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            {
                return line;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"No '{word}' line from the settings guard within 20 s:\n{api.Log}");
        return default;
    }

    public void Dispose() => Directory.Delete(_mount, recursive: true);
}
