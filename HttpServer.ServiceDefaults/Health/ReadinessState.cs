using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HttpServer.ServiceDefaults.Health;

/// <summary>Where the service is in its life, as the readiness check: ready only between warm-up and shutdown.</summary>
public sealed class ReadinessState : IHealthCheck
{
    private volatile bool _warmedUp;
    private volatile bool _shuttingDown;

    public bool IsWarmedUp => _warmedUp;
    public bool IsShuttingDown => _shuttingDown;

    public void MarkWarmedUp() => _warmedUp = true;
    public void MarkShuttingDown() => _shuttingDown = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_shuttingDown ? HealthCheckResult.Unhealthy("Shutting down: draining connections.")
            : !_warmedUp ? HealthCheckResult.Unhealthy("Warming up.")
            : HealthCheckResult.Healthy("Ready."));
}
