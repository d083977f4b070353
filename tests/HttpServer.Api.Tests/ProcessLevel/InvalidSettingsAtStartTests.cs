using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>A bad value at start: one line naming the key, exit code 1, no stack trace, whatever the source.</summary>
[Collection(RealProcesses.Name)]
public sealed class InvalidSettingsAtStartTests
{
    [Theory]
    [InlineData("VERSION", "caf\u00e9")]
    [InlineData("VERSION", "1.0\nSet-Cookie: a=b")]
    [InlineData("AccessLog__Level", "abc")]
    [InlineData("FaultInjection__ErrorRate", "5")]
    [InlineData("FaultInjection__ErrorStatusCode", "200")]
    [InlineData("Logging__LogLevel__Default", "Loud")]
    [InlineData("Lifecycle__DrainDelaySeconds", "-3")]
    [InlineData("Downstream__AttemptTimeoutSeconds", "10")] // the total's default is 5
    [InlineData("APP_CONFIG_DIR", "/nonexistent/httpserver-config")]
    public async Task A_bad_environment_value_stops_the_server_with_one_line_naming_the_key_and_exit_code_1(string variable, string value)
    {
        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { [variable] = value });

        await AssertRefusedAsync(api, key);
    }

    [Theory]
    [InlineData("FaultInjection__DelayMinMs", "-1")]
    [InlineData("Kestrel__Endpoints__Extra__Url", "http://127.0.0.1:1")] // not a live setting: Kestrel would listen there instead
    [InlineData("Logging__LogLevel__Microsoft__AspNetCore", "Debug")] // a category's dots written as __: the filter would ignore it
    public async Task A_bad_value_or_key_in_the_mounted_directory_stops_the_server_the_same_way(string file, string value)
    {
        await using var api = ApiProcess.Start(configFiles: new Dictionary<string, string> { [file] = value });

        await AssertRefusedAsync(api, file.Replace("__", ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_management_port_equal_to_the_public_port_stops_the_server_the_same_way()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var api = ApiProcess.StartListeningAsConfigured(new Dictionary<string, string?> { ["HTTP_PORTS"] = port, ["Management__Port"] = port },
            new Uri($"http://127.0.0.1:{port}"));

        await AssertRefusedAsync(api, "Management:Port");
    }

    private static async Task AssertRefusedAsync(ApiProcess api, string key)
    {
        Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(30)), "The Api kept running with an invalid setting.");
        Assert.Equal(1, api.ExitCode);
        var line = Assert.Single(api.Lines);
        Assert.StartsWith("Invalid configuration, the server did not start: ", line);
        Assert.Contains($"{key} = \"", line);
        Assert.DoesNotContain(" at ", line);
    }
}
