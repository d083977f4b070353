namespace HttpServer.Api.Tests.Infrastructure;

/// <summary>
/// Tests that read counters from /metrics run alone: OpenTelemetry's MeterProvider listens to every meter
/// of a name in the process, so in-memory hosts running in parallel would add to each other's counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsIsolation
{
    public const string Name = "Metrics isolation";
}
