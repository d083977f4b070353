using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using HttpServer.ServiceDefaults.Health;

namespace HttpServer.ServiceDefaults.Management;

/// <summary>podinfo's operator endpoints, on the management port only: readiness off and on, and the settings.</summary>
internal static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var toggle = endpoints.ServiceProvider.GetRequiredService<ReadinessToggle>();
        var reporter = endpoints.ServiceProvider.GetRequiredService<SettingsReporter>();
        var group = endpoints.MapGroup("").RequireRateLimiting(ManagementPort.RateLimiterPolicy);
        // RequestDelegates, not lambdas: the request delegate generator would intercept these under NativeAOT, mismatched.
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

// Each change logged and counted; the state a gauge.
internal sealed partial class ReadinessToggle
{
    public const string MeterName = "HttpServer.Management";

    private readonly ReadinessState _readiness;
    private readonly ILogger<ReadinessToggle> _logger;
    private readonly Counter<long> _changes;

    public ReadinessToggle(ReadinessState readiness, ILogger<ReadinessToggle> logger, IMeterFactory meterFactory)
    {
        (_readiness, _logger) = (readiness, logger);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("httpserver.readiness.disabled", () => readiness.IsDisabledByOperator ? 1 : 0,
            description: "1 while an operator has taken the pod out of rotation (POST /readyz/disable), else 0.");
        _changes = meter.CreateCounter<long>("httpserver.readiness.toggles",
            description: "Changes of the operator's readiness switch, by state: disabled or enabled.");
    }

    public ReadinessToggleResult Set(bool disabled, string? remote)
    {
        if (_readiness.SetDisabledByOperator(disabled))
        {
            var state = disabled ? "disabled" : "enabled";
            _changes.Add(1, new KeyValuePair<string, object?>("state", state));
            LogChanged(_logger, state, remote ?? "unknown");
        }
        return new ReadinessToggleResult(!disabled, _readiness.IsDisabledByOperator);
    }

    [LoggerMessage(1, LogLevel.Warning, "Readiness {State} by an operator from {Remote}")]
    private static partial void LogChanged(ILogger logger, string state, string remote);
}

/// <param name="Enabled">What the operator asked for.</param>
/// <param name="DisabledByOperator">The switch now: while true, /readyz answers 503.</param>
public sealed record ReadinessToggleResult(bool Enabled, bool DisabledByOperator);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SettingsReport))]
[JsonSerializable(typeof(ReadinessToggleResult))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
