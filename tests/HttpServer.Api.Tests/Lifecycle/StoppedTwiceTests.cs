using HttpServer.Api.Tests.Endpoints;
using HttpServer.Api.Tests.Infrastructure;
using HttpServer.ServiceDefaults.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
    public async Task A_second_stop_after_the_host_was_stopped_and_disposed_completes_quietly()
    {
        var factory = new ApiFactory();
        var client = factory.CreateClient();
        await HealthEndpointTests.WaitForReadyAsync(client);
        var shutdown = factory.InMemory.Services.GetServices<IHostedService>().OfType<GracefulShutdownService>().Single();

        await factory.DisposeAsync();

        await shutdown.StoppingAsync(CancellationToken.None);
        await shutdown.StoppedAsync(CancellationToken.None);
    }
}
