using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HttpServer.ServiceDefaults.Health;

/// <summary>Ready between warm-up and shutdown, unless an operator took the pod out of rotation (POST /readyz/disable).</summary>
public sealed class ReadinessState : IHealthCheck
{
    private volatile bool _warmedUp;
    private volatile bool _shuttingDown;
    private volatile bool _disabledByOperator;

    public bool IsDisabledByOperator => _disabledByOperator;

    public void MarkWarmedUp() => _warmedUp = true;

    public void MarkShuttingDown() => _shuttingDown = true;

    /// <summary>Turns the operator's switch; true when it changed.</summary>
    public bool SetDisabledByOperator(bool disabled)
    {
        var changed = _disabledByOperator != disabled;
        _disabledByOperator = disabled;
        return changed;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_shuttingDown ? HealthCheckResult.Unhealthy("Shutting down: draining connections.")
            : !_warmedUp ? HealthCheckResult.Unhealthy("Warming up.")
            : _disabledByOperator ? HealthCheckResult.Unhealthy("Disabled by an operator (POST /readyz/enable turns it back on).")
            : HealthCheckResult.Healthy("Ready."));
}
