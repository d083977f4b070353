using OpenTelemetry.Metrics;

namespace HttpServer.ServiceDefaults.Telemetry;

/// <summary>Bounds on the series a client can add to /metrics (a status code from <c>/status/{code}</c>, say).</summary>
public static class MetricLimits
{
    /// <summary>
    /// Label sets per metric stream, beyond which the SDK folds them into one tagged <c>otel_metric_overflow="true"</c>: normal
    /// use makes a few dozen; the SDK's 2000 would let a sweep of /status add ~1.7 MB to every scrape.
    /// </summary>
    public const int CardinalityLimit = 100;

    // One view for all (views add up: a second would export the dropped instrument again); histograms keep their buckets.
    public static MeterProviderBuilder AddCardinalityLimits(this MeterProviderBuilder metrics, string dropped) =>
        metrics.AddView(dropped, MetricStreamConfiguration.Drop)
            .AddView(instrument => instrument.Name == dropped ? null : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit });
}
