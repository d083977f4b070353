using System.Diagnostics.Metrics;
using HttpServer.ServiceDefaults.Health;

namespace HttpServer.ServiceDefaults.Management;

/// <summary>The operator's readiness switch: each change logged, the state a gauge, the changes a counter.</summary>
internal sealed partial class ReadinessToggle
{
    public const string MeterName = "HttpServer.Management";

    private readonly ReadinessState _readiness;
    private readonly ILogger<ReadinessToggle> _logger;
    private readonly Counter<long> _changes;

    public ReadinessToggle(ReadinessState readiness, ILogger<ReadinessToggle> logger, IMeterFactory meterFactory)
    {
        _readiness = readiness;
        _logger = logger;
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
