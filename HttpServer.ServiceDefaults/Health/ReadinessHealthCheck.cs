using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HttpServer.ServiceDefaults.Health;

internal sealed class ReadinessHealthCheck(ReadinessState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = state switch
        {
            { IsShuttingDown: true } => HealthCheckResult.Unhealthy("Shutting down: draining connections."),
            { IsWarmedUp: false } => HealthCheckResult.Unhealthy("Warming up."),
            _ => HealthCheckResult.Healthy("Ready."),
        };
        return Task.FromResult(result);
    }
}
