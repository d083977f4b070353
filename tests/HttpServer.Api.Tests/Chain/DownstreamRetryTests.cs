using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Chain;

/// <summary>The retry settings through the real server and its resilience handler, against a real loopback peer.</summary>
public sealed class DownstreamRetryTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public async Task Chain_asks_a_failing_downstream_once_plus_the_configured_retries(int retries, int attempts)
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.StatusResponse(503, "Service Unavailable"));
        await using var factory = new ApiFactory()
            .With("Downstream:BaseUrl", downstream.BaseAddress.ToString())
            .With("Downstream:MaxRetryAttempts", retries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/chain");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(attempts, downstream.Requests);
    }
}
