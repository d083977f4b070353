using System.Diagnostics;
using HttpServer.Api.Chain;
using HttpServer.Api.Info;
using HttpServer.ServiceDefaults.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace HttpServer.Api.Tests.Chain;

/// <summary>The /chain handler with a real HttpClient against a real loopback peer (no host, no mocks).</summary>
public sealed class ChainApiTests
{
    private static readonly ServiceInfo Info = new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "frontend",
        }).Build(),
        new HostingEnvironment { ApplicationName = "HttpServer.Api", EnvironmentName = "Testing" },
        new ServiceCollection().Configure<ServiceVersionOptions>(o => o.Value = "1.2.3").BuildServiceProvider()
            .GetRequiredService<IOptionsMonitor<ServiceVersionOptions>>());

    [Fact]
    public async Task GetChain_answers_its_own_part_when_no_downstream_is_configured()
    {
        using var http = new HttpClient();

        var result = await GetChainAsync(http);

        var ok = Assert.IsType<Ok<ChainResponse>>(result);
        Assert.Equal("frontend", ok.Value!.Service);
        Assert.Equal("1.2.3", ok.Value.Version);
        Assert.Null(ok.Value.Downstream);
    }

    [Fact]
    public async Task GetChain_includes_the_downstreams_answer_and_sends_it_the_trace_context()
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.JsonResponse(
            """{"service":"backend","version":"9","traceId":"t","traceparent":null,"downstream":null}"""));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        var result = await GetChainAsync(http);

        var ok = Assert.IsType<Ok<ChainResponse>>(result);
        Assert.Equal(activity.TraceId.ToHexString(), ok.Value!.TraceId);
        Assert.Equal("backend", ok.Value.Downstream?.Service);
        Assert.Contains(downstream.RequestHeaders, h => h.StartsWith($"traceparent: 00-{activity.TraceId.ToHexString()}-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetChain_forwards_the_callers_x_request_id_to_the_downstream()
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.JsonResponse(
            """{"service":"backend","version":"9","traceId":"t","traceparent":null,"downstream":null}"""));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };
        var context = new DefaultHttpContext();
        context.Request.Headers["x-request-id"] = "3f1c2a9e-request";

        var result = await ChainApi.GetChain(context.Request, Info, new DownstreamClient(http), CancellationToken.None);

        Assert.IsType<Ok<ChainResponse>>(result.Result);
        Assert.Contains(downstream.RequestHeaders, h => h.Equals("x-request-id: 3f1c2a9e-request", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("bell\u0007")]
    public async Task GetChain_drops_an_x_request_id_that_http_cannot_carry_and_still_asks_the_downstream(string requestId)
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.JsonResponse(
            """{"service":"backend","version":"9","traceId":"t","traceparent":null,"downstream":null}"""));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };
        var context = new DefaultHttpContext();
        context.Request.Headers["x-request-id"] = requestId;

        var result = await ChainApi.GetChain(context.Request, Info, new DownstreamClient(http), CancellationToken.None);

        Assert.Equal("backend", Assert.IsType<Ok<ChainResponse>>(result.Result).Value!.Downstream?.Service);
        Assert.DoesNotContain(downstream.RequestHeaders, h => h.StartsWith("x-request-id:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetChain_sends_no_x_request_id_when_the_caller_sent_none()
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.JsonResponse(
            """{"service":"backend","version":"9","traceId":"t","traceparent":null,"downstream":null}"""));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };

        Assert.IsType<Ok<ChainResponse>>(await GetChainAsync(http));

        Assert.DoesNotContain(downstream.RequestHeaders, h => h.StartsWith("x-request-id:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetChain_answers_502_naming_the_status_when_the_downstream_answers_5xx()
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.StatusResponse(503, "Service Unavailable"));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };

        var problem = Assert.IsType<ProblemHttpResult>(await GetChainAsync(http));

        Assert.Equal(StatusCodes.Status502BadGateway, problem.StatusCode);
        Assert.Contains("503", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task GetChain_answers_502_when_the_downstream_refuses_the_connection()
    {
        var closedPort = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closedPort.Start();
        var port = ((IPEndPoint)closedPort.LocalEndpoint).Port;
        closedPort.Stop();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var problem = Assert.IsType<ProblemHttpResult>(await GetChainAsync(http));

        Assert.Equal(StatusCodes.Status502BadGateway, problem.StatusCode);
        Assert.Contains("could not be reached", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task GetChain_answers_502_when_the_downstream_does_not_answer_in_time()
    {
        await using var downstream = new LoopbackHttpServer(rawResponse: null);
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress, Timeout = TimeSpan.FromMilliseconds(500) };

        var problem = Assert.IsType<ProblemHttpResult>(await GetChainAsync(http));

        Assert.Equal(StatusCodes.Status502BadGateway, problem.StatusCode);
        Assert.Contains("did not answer within", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task GetChain_answers_502_when_the_downstream_answers_something_other_than_a_chain()
    {
        await using var downstream = new LoopbackHttpServer(LoopbackHttpServer.JsonResponse("[1, 2, 3]"));
        using var http = new HttpClient { BaseAddress = downstream.BaseAddress };

        var problem = Assert.IsType<ProblemHttpResult>(await GetChainAsync(http));

        Assert.Equal(StatusCodes.Status502BadGateway, problem.StatusCode);
        Assert.Contains("not a chain answer", problem.ProblemDetails.Detail);
    }

    private static async Task<IResult> GetChainAsync(HttpClient http)
    {
        var context = new DefaultHttpContext();
        var results = await ChainApi.GetChain(context.Request, Info, new DownstreamClient(http), CancellationToken.None);
        return results.Result;
    }
}
