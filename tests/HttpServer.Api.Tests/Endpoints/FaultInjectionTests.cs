using System.Globalization;
using System.Text.RegularExpressions;
using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

[Collection(MetricsIsolation.Name)]
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Error_rate_of_one_answers_every_root_request_with_an_injected_503_problem()
    {
        await using var factory = new ApiFactory().With("FaultInjection:ErrorRate", "1");
        var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/");
            var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Injected fault", problem.GetProperty("title").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/version")).StatusCode);
    }

    [Fact]
    public async Task Injection_is_off_by_default()
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(0, MetricValue(metrics, "httpserver_injected_delay_milliseconds_sum"));
    }

    [Fact]
    public async Task Injected_delay_is_drawn_from_the_range_and_recorded_in_the_histogram()
    {
        await using var factory = new ApiFactory()
            .With("FaultInjection:DelayMinMs", "30")
            .With("FaultInjection:DelayMaxMs", "40");
        var client = factory.CreateClient();
        await HealthEndpointTests.WaitForReadyAsync(client); // warm-up requests / too
        var before = await client.GetStringAsync("/metrics");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
        await Task.Delay(400); // the exporter caches a scrape for 300 ms
        var after = await client.GetStringAsync("/metrics");

        var count = MetricValue(after, "httpserver_injected_delay_milliseconds_count") - MetricValue(before, "httpserver_injected_delay_milliseconds_count", absentIsZero: true);
        var sum = MetricValue(after, "httpserver_injected_delay_milliseconds_sum") - MetricValue(before, "httpserver_injected_delay_milliseconds_sum", absentIsZero: true);
        Assert.Equal(3, count);
        Assert.InRange(sum, 90, 120);
    }

    [Theory]
    [InlineData("FaultInjection:ErrorRate", "1.5", "must be between 0 and 1")]
    [InlineData("FaultInjection:DelayMaxMs", "-1", "must be between 0 and ")]
    [InlineData("Lifecycle:DrainDelaySeconds", "-3", "must be between 0 and ")]
    public async Task Invalid_settings_stop_the_server_at_start_up(string key, string value, string range)
    {
        await using var factory = new ApiFactory().With(key, value);

        var error = await factory.StartupFailureAsync();

        Assert.StartsWith($"Invalid configuration, the server did not start: {key} = \"{value}\": ", error);
        Assert.Contains(range, error, StringComparison.Ordinal);
    }

    internal static double MetricValue(string exposition, string name, bool absentIsZero = false)
    {
        var match = Regex.Match(exposition, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline);
        if (!match.Success && absentIsZero)
        {
            return 0;
        }
        Assert.True(match.Success, $"metric {name} not found in /metrics");
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }
}
