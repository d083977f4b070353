using System.Text;
using HttpServer.ServiceDefaults.Telemetry;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class MetricCardinalityTests
{
    // What a scrape stays under however clients vary the tag values: a request-duration series is ~4 KB of buckets.
    private const int MaxScrapeBytes = 600_000;
    private const string CountSeries = "http_server_request_duration_seconds_count{";

    [Fact]
    public async Task A_sweep_of_every_status_code_cannot_grow_metrics_past_the_cardinality_limit()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();

        for (var code = 200; code <= 599; code++)
        {
            using var response = await api.Client.GetAsync($"/status/{code}");
            Assert.Equal(code, (int)response.StatusCode);
        }
        var scrape = await api.Client.GetByteArrayAsync("/metrics");
        var text = Encoding.UTF8.GetString(scrape);

        var labelSets = text.Split('\n').Where(l => l.StartsWith(CountSeries, StringComparison.Ordinal))
            .Select(l => l[..l.LastIndexOf(' ')]).Distinct().ToList();
        // The limit, plus the one overflow series that takes every later combination.
        Assert.InRange(labelSets.Count, MetricLimits.CardinalityLimit - 10, MetricLimits.CardinalityLimit + 1);
        Assert.Contains(labelSets, l => l.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.True(scrape.Length < MaxScrapeBytes, $"/metrics was {scrape.Length} bytes after the sweep.");
    }
}
