using HttpServer.Api.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HttpServer.Api.Echo;

internal static class EchoApi
{
    /// <summary>Methods that echo. Others get 405 (with Allow) from routing; OPTIONS lists these.</summary>
    public static readonly string[] EchoMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointRouteBuilder MapEchoApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", EchoMethods, Echo)
            .WithName("Echo")
            .AddEndpointFilter(app.ServiceProvider.GetRequiredService<FaultInjectionFilter>());
        app.MapMethods("/", ["OPTIONS"], Options).WithName("EchoOptions");
        return app;
    }

    /// <summary>Copies the request's headers onto the response. A request body is read and discarded.</summary>
    public static async Task<Ok> Echo(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            await request.Body.CopyToAsync(Stream.Null, cancellationToken);
        }
        EchoedHeaders.CopyTo(request.Headers, response.Headers);
        return TypedResults.Ok();
    }

    public static NoContent Options(HttpResponse response)
    {
        response.Headers.Allow = string.Join(", ", [.. EchoMethods, "OPTIONS"]);
        return TypedResults.NoContent();
    }
}
