using Microsoft.AspNetCore.Http.HttpResults;

namespace HttpServer.Api.Info;

internal static class InfoApi
{
    public static IEndpointRouteBuilder MapInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/version", ReadMethods.GetAndHead, GetVersion).WithName("GetVersion");
        app.MapMethods("/headers", ReadMethods.GetAndHead, GetHeaders).WithName("GetHeaders");
        return app;
    }

    public static Ok<VersionResponse> GetVersion(ServiceInfo info, IHostEnvironment environment) =>
        TypedResults.Ok(new VersionResponse(info.Name, info.Version, environment.EnvironmentName));

    /// <summary>The request's headers as JSON, every value of each, Host and hop-by-hop ones included.</summary>
    public static Ok<Dictionary<string, string[]>> GetHeaders(HttpRequest request) =>
        TypedResults.Ok(request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase));
}
