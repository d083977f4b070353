using HttpServer.Api.Tests.Infrastructure;
using HttpServer.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/alive")]
    [InlineData("/readyz")]
    [InlineData("/health")]
    public async Task Health_endpoints_answer_200_once_warmed_up(string path)
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();
        await WaitForReadyAsync(client);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz", "TRACE")]
    [InlineData("/readyz", "POST")]
    [InlineData("/health", "PROPFIND")]
    public async Task Health_endpoints_answer_other_methods_than_GET_and_HEAD_with_405_and_Allow(string path, string method)
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, head.StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_while_warming_up_but_liveness_is_200()
    {
        await using var factory = new ApiFactory().With("Lifecycle:WarmupExtraDelaySeconds", "60");
        var client = factory.CreateClient();

        using var ready = await client.GetAsync("/readyz");
        using var health = await client.GetAsync("/health");
        using var live = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    [Trait("Host", "InMemory")]
    public async Task Readiness_is_503_once_shutting_down_but_liveness_stays_200()
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();
        await WaitForReadyAsync(client);

        factory.InMemory.Services.GetRequiredService<ReadinessState>().MarkShuttingDown();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    internal static async Task WaitForReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The Api did not become ready within 20 s.");
            await Task.Delay(50);
        }
    }
}
