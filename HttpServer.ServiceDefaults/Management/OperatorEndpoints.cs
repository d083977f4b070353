using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.ServiceDefaults.Management;

/// <summary>
/// podinfo's operator endpoints, on the management port only (UseManagementPort keeps them off the others):
/// take the pod out of rotation and back, and see the settings it runs with. Other methods get routing's 405.
/// </summary>
internal static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var toggle = endpoints.ServiceProvider.GetRequiredService<ReadinessToggle>();
        var reporter = endpoints.ServiceProvider.GetRequiredService<SettingsReporter>();
        var group = endpoints.MapGroup("").RequireRateLimiting(ManagementPort.RateLimiterPolicy);
        group.MapPost(ManagementPaths.ReadinessDisable, (HttpContext context) => Toggle(context, toggle, disabled: true));
        group.MapPost(ManagementPaths.ReadinessEnable, (HttpContext context) => Toggle(context, toggle, disabled: false));
        group.MapGet(ManagementPaths.Settings, (HttpContext context) =>
            TypedResults.Json(reporter.Report(), ManagementJsonContext.Default.SettingsReport).ExecuteAsync(context));
        return endpoints;
    }

    private static Task Toggle(HttpContext context, ReadinessToggle toggle, bool disabled) =>
        TypedResults.Json(toggle.Set(disabled, context.Connection.RemoteIpAddress?.ToString()), ManagementJsonContext.Default.ReadinessToggleResult)
            .ExecuteAsync(context);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SettingsReport))]
[JsonSerializable(typeof(ReadinessToggleResult))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
