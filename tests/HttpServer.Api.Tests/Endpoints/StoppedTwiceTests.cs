using HttpServer.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HttpServer.Api.Tests.Endpoints;

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
        var lifecycleServices = factory.InMemory.Services.GetServices<IHostedService>().OfType<IHostedLifecycleService>()
            .Where(s => s.GetType().Namespace == "HttpServer.ServiceDefaults.Lifecycle").ToList();
        Assert.NotEmpty(lifecycleServices);

        await factory.DisposeAsync();

        foreach (var service in lifecycleServices)
        {
            await service.StoppingAsync(CancellationToken.None);
            await service.StoppedAsync(CancellationToken.None);
        }
    }
}
