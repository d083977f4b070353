using HttpServer.Api.Tests.Endpoints;
using HttpServer.Api.Tests.Infrastructure;
using HttpServer.ServiceDefaults.Lifecycle;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HttpServer.Api.Tests.Lifecycle;

/// <summary>
/// A host can be stopped twice at once: <c>app.Run()</c> stops and disposes it while whoever asked for the stop (a test
/// host, an orchestrator's in-process runner) is still running its own stop. The late stop must not throw on what the
/// disposal released: that was an ObjectDisposedException out of a passing test's teardown, now and then, in CI.
/// </summary>
public sealed class StoppedTwiceTests
{
    [Fact]
    [Trait("Host", "InMemory")]
    public async Task A_second_stop_after_the_host_was_stopped_and_disposed_completes_quietly_and_reports_the_stop_once()
    {
        var factory = new ApiFactory();
        var host = factory.InMemory.WithWebHostBuilder(b => b.ConfigureLogging(logging => logging.AddFakeLogging()));
        await HealthEndpointTests.WaitForReadyAsync(host.CreateClient());
        var shutdown = host.Services.GetServices<IHostedService>().OfType<GracefulShutdownService>().Single();
        var logs = host.Services.GetFakeLogCollector();

        await factory.DisposeAsync();
        var firstStop = Messages(logs);
        logs.Clear();
        await shutdown.StoppingAsync(CancellationToken.None);
        await shutdown.StoppedAsync(CancellationToken.None);
        var secondStop = Messages(logs);

        // Two stops overlapped (the factory's and app.Run()'s), each with its drain; the stop is reported once, last.
        Assert.Single(firstStop, m => m.StartsWith("Shutdown requested", StringComparison.Ordinal));
        Assert.Single(firstStop, m => m == "Closed 0 connections that had no request in the application after the drain");
        Assert.Single(firstStop, m => m == "Shutdown complete");
        Assert.Equal("Shutdown complete", firstStop[^1]);
        // The late stop goes through its drain, but neither sweeps again nor reports a second stop.
        Assert.Collection(secondStop, m => Assert.StartsWith("Drain finished", m));
    }

    /// <summary>The lines of the shutdown and of the connection closer, in order.</summary>
    private static List<string> Messages(FakeLogCollector logs) =>
        [.. logs.GetSnapshot()
            .Where(r => r.Category is { } c && (c == typeof(GracefulShutdownService).FullName || c == typeof(IdleConnectionCloser).FullName))
            .Select(r => r.Message)];
}
