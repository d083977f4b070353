using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

[Collection(MetricsIsolation.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_exposes_the_request_duration_and_injected_delay_histograms_in_prometheus_format()
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("# TYPE httpserver_injected_delay_milliseconds histogram", text);
        Assert.True(FaultInjectionTests.MetricValue(text, "httpserver_injected_delay_milliseconds_count") >= 1);
    }
}
