using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;

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
        // RequestDelegates, not lambdas: no parameter binding to generate (the request delegate generator would
        // intercept these calls under NativeAOT, with a signature that does not match).
        RequestDelegate disable = context => Toggle(context, toggle, disabled: true);
        RequestDelegate enable = context => Toggle(context, toggle, disabled: false);
        RequestDelegate settings = context => TypedResults.Json(reporter.Report(), ManagementJsonContext.Default.SettingsReport).ExecuteAsync(context);
        group.MapPost(ManagementPaths.ReadinessDisable, disable);
        group.MapPost(ManagementPaths.ReadinessEnable, enable);
        group.MapGet(ManagementPaths.Settings, settings);
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
