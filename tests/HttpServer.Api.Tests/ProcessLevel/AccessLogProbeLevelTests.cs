using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>Only the real probes, scrapes and the warm-up log at the probe level (Debug, off by default): no client can hide there.</summary>
[Collection(RealProcesses.Name)]
public sealed class AccessLogProbeLevelTests
{
    [Fact]
    public async Task Requests_under_the_probe_paths_or_with_the_warmups_user_agent_are_logged_like_any_other()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();

        foreach (var path in new[] { "/metrics/anything", "/health/x", "/healthz/x", "/readyz/x", "/alive/x" })
        {
            await api.StatusAsync(path);
        }
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/forged-warmup");
        forged.Headers.TryAddWithoutValidation("User-Agent", "HttpServer-Warmup/1.0");
        using var _ = await api.Client.SendAsync(forged);
        await api.WaitForAccessLogMarkerAsync();

        var paths = LoggedPaths(api);
        Assert.Equal(["/metrics/anything", "/health/x", "/healthz/x", "/readyz/x", "/alive/x", "/forged-warmup"],
            paths.Where(p => !p.StartsWith("/log-marker/", StringComparison.Ordinal)));
        Assert.DoesNotContain("/readyz", paths); // the real probe, sent by WaitForReadyAsync, stays quiet
    }

    [Fact]
    public async Task With_a_management_port_the_probe_paths_are_quiet_there_and_logged_on_the_public_port()
    {
        await using var server = await ManagedApi.StartAsync();
        var (api, management) = (server.Api, server.Management);

        using (var publicProbe = await api.Client.GetAsync("/healthz"))
        using (var realProbe = await management.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, publicProbe.StatusCode);
            Assert.Equal(HttpStatusCode.OK, realProbe.StatusCode);
        }
        await api.WaitForAccessLogMarkerAsync();

        Assert.Single(LoggedPaths(api), "/healthz");
    }

    private static List<string> LoggedPaths(ApiProcess api) =>
        [.. api.LogEntries(ApiProcess.AccessLogCategory).Select(e => e.GetProperty("State").GetProperty("Path").GetString()!)];
}
