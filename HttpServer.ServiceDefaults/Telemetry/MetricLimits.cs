using OpenTelemetry.Metrics;

namespace HttpServer.ServiceDefaults.Telemetry;

/// <summary>
/// Bounds on what clients can add to /metrics. A tag value taken from a request (the status code of
/// <c>/status/{code}</c>, any future one) makes a new series per value; the SDK's per-stream cardinality limit
/// folds every combination past the limit into one series tagged <c>otel_metric_overflow="true"</c>.
/// </summary>
public static class MetricLimits
{
    /// <summary>
    /// Label sets per metric stream. This app's routes × methods × status codes × protocol versions make a few
    /// dozen in normal use; 100 leaves room for that and keeps a sweep's scrape small (a request-duration series
    /// is ~4 KB of buckets). The SDK's default, 2000, would let a sweep of /status add ~1.7 MB to every scrape.
    /// </summary>
    public const int CardinalityLimit = 100;

    private const string DroppedInstrument = "aspnetcore.routing.match_attempts";

    /// <summary>
    /// One view for every instrument: views add up rather than override, so a second one would export the
    /// dropped instrument again. Histograms keep their instruments' advised buckets (no boundaries set here).
    /// </summary>
    public static MeterProviderBuilder AddCardinalityLimits(this MeterProviderBuilder metrics) =>
        metrics.AddView(instrument => instrument.Name == DroppedInstrument
            ? null // its Drop view (ConfigureOpenTelemetry) applies alone
            : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit });
}
