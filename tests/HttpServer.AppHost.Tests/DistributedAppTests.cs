using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HttpServer.AppHost.Tests;

// The only class of its collection, so its orderer decides the order of everything that uses the app.
[Collection(DistributedAppTestGroup.Name)]
[TestCaseOrderer(StoppingTestsLastOrderer.TypeName, StoppingTestsLastOrderer.AssemblyName)]
public sealed class DistributedAppTests(DistributedAppFixture fixture)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DistributedAppFixture.Frontend)]
    [InlineData(DistributedAppFixture.Backend)]
    public async Task Each_service_is_healthy_and_answers_readyz_with_200(string resourceName)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resourceName, out var resourceEvent));
        Assert.Equal(HealthStatus.Healthy, resourceEvent.Snapshot.HealthStatus);

        using var client = fixture.CreateClient(resourceName);
        using var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(DistributedAppFixture.Frontend)]
    [InlineData(DistributedAppFixture.Backend)]
    public async Task Each_service_serves_metrics_on_its_management_endpoint_and_not_on_http(string resourceName)
    {
        using var http = fixture.CreateClient(resourceName);
        using var management = fixture.CreateClient(resourceName, "management");

        using var hidden = await http.GetAsync("/metrics");
        using var scraped = await management.GetAsync("/metrics");
        using var ready = await management.GetAsync("/readyz");

        Assert.NotEqual(http.BaseAddress!.Port, management.BaseAddress!.Port);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Chain_on_the_frontend_returns_the_backends_answer_in_the_same_trace()
    {
        var chain = await GetChainAsync();

        Assert.Equal(DistributedAppFixture.Frontend, chain.Service);
        Assert.Equal("dev", chain.Version);
        Assert.Matches("^[0-9a-f]{32}$", chain.TraceId);
        var downstream = Assert.IsType<ChainAnswer>(chain.Downstream);
        Assert.Equal(DistributedAppFixture.Backend, downstream.Service);
        Assert.Equal(chain.TraceId, downstream.TraceId);
        Assert.Null(downstream.Downstream);
    }

    [Fact]
    public async Task Backend_receives_the_traceparent_of_the_frontends_trace()
    {
        var chain = await GetChainAsync();

        // W3C trace context: version 00, the frontend's trace id, the id of the frontend's client span, sampled.
        Assert.Matches($"^00-{chain.TraceId}-[0-9a-f]{{16}}-01$", chain.Downstream?.Traceparent);
    }

    [Fact]
    public async Task Spans_of_both_services_reach_the_dashboard_as_one_trace()
    {
        var chain = await GetChainAsync();
        var parentSpanId = chain.Downstream!.Traceparent!.Split('-')[2];

        var spans = await WaitForTraceAsync(chain.TraceId!, spans =>
            spans.Any(s => s.Service == DistributedAppFixture.Frontend && s.SpanId == parentSpanId)
            && spans.Any(s => s.Service == DistributedAppFixture.Backend && s.ParentSpanId == parentSpanId));

        // The frontend's server span is the root; its HttpClient span is the parent of the backend's server span.
        Assert.Contains(spans, s => s.Service == DistributedAppFixture.Frontend && s.Name == "GET /chain" && s.ParentSpanId is null);
        Assert.Contains(spans, s => s.Service == DistributedAppFixture.Backend && s.Name == "GET /chain" && s.ParentSpanId == parentSpanId);
    }

    [Fact]
    [StopsAResource]
    public async Task Chain_answers_502_problem_details_while_the_backend_is_stopped_and_the_frontend_stays_ready()
    {
        var app = fixture.App;
        using var timeout = new CancellationTokenSource(WaitTimeout);
        var stopped = await app.ResourceCommands.ExecuteCommandAsync(DistributedAppFixture.Backend, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await app.ResourceNotifications.WaitForResourceAsync(DistributedAppFixture.Backend, KnownResourceStates.TerminalStates, timeout.Token);

        // The client gives up after 20 s (DistributedAppFixture.CreateClient): an answer at all means the frontend's own
        // resilience pipeline (Downstream:TotalTimeoutSeconds) ended the call, not the client. No stopwatch: on a busy
        // machine a time bound proves nothing more.
        using var frontend = fixture.CreateClient(DistributedAppFixture.Frontend);
        using var chain = await frontend.GetAsync("/chain", timeout.Token);

        Assert.Equal(HttpStatusCode.BadGateway, chain.StatusCode);
        Assert.Equal("application/problem+json", chain.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await chain.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(502, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Matches("^http://backend/chain (could not be reached|did not answer within|is failing)", problem.RootElement.GetProperty("detail").GetString());

        using var ready = await frontend.GetAsync("/readyz", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(app.ResourceNotifications.TryGetCurrentState(DistributedAppFixture.Frontend, out var frontendState));
        Assert.Equal(HealthStatus.Healthy, frontendState.Snapshot.HealthStatus);
    }

    private async Task<ChainAnswer> GetChainAsync()
    {
        using var client = fixture.CreateClient(DistributedAppFixture.Frontend);
        using var response = await client.GetAsync("/chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.IsType<ChainAnswer>(await response.Content.ReadFromJsonAsync<ChainAnswer>());
    }

    /// <summary>Polls the dashboard's telemetry API until the trace holds the expected spans (exports are batched).</summary>
    private async Task<IReadOnlyList<DashboardSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<DashboardSpan>, bool> complete)
    {
        using var timeout = new CancellationTokenSource(WaitTimeout);
        IReadOnlyList<DashboardSpan> spans = [];
        while (!timeout.IsCancellationRequested)
        {
            using var response = await fixture.Dashboard.GetAsync($"/api/telemetry/traces/{traceId}", timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                spans = DashboardSpan.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
                if (complete(spans))
                {
                    return spans;
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            await Task.Delay(500, timeout.Token);
        }
        Assert.Fail($"Trace {traceId} did not reach the dashboard complete; spans seen: {string.Join(", ", spans)}");
        return spans;
    }
}
