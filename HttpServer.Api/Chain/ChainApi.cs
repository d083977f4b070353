using System.Diagnostics;
using HttpServer.Api.Faults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace HttpServer.Api.Chain;

/// <summary>
/// <c>GET /chain</c>: this service's part of a call chain, with the downstream's part when a
/// downstream is configured, all in one distributed trace.
/// </summary>
internal static class ChainApi
{
    public static IEndpointRouteBuilder MapChainApi(this IEndpointRouteBuilder app)
    {
        // Injected delays and errors apply here too, so a slow or failing downstream can be tried out.
        app.MapMethods(DownstreamClient.ChainPath, ReadMethods.GetAndHead, GetChain)
            .WithName("GetChain")
            .AddEndpointFilter(app.ServiceProvider.GetRequiredService<FaultInjectionFilter>());
        return app;
    }

    public static async Task<Results<Ok<ChainResponse>, ProblemHttpResult>> GetChain(
        HttpRequest request, ServiceInfo info, DownstreamClient downstream, CancellationToken cancellationToken)
    {
        ChainResponse? next = null;
        if (downstream.IsConfigured)
        {
            try
            {
                next = await downstream.GetChainAsync(request.Headers[DownstreamClient.RequestIdHeader].FirstOrDefault(), cancellationToken);
            }
            catch (DownstreamException ex)
            {
                // The downstream failed, not this service: 502, and readiness is not affected.
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status502BadGateway,
                    title: "Downstream service failed",
                    detail: ex.Message);
            }
        }
        var traceparent = request.Headers[HeaderNames.TraceParent].FirstOrDefault();
        return TypedResults.Ok(new ChainResponse(info.Name, info.Version, Activity.Current?.TraceId.ToHexString(), traceparent, next));
    }
}
