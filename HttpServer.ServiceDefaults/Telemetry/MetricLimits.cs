using OpenTelemetry.Metrics;

namespace HttpServer.ServiceDefaults.Telemetry;

/// <summary>
/// Bounds on what clients can add to /metrics. A tag value taken from a request (the status code of <c>/status/{code}</c>)
/// makes a series per value; past the limit, the SDK folds them into one series tagged <c>otel_metric_overflow="true"</c>.
/// </summary>
public static class MetricLimits
{
    /// <summary>
    /// Label sets per metric stream: routes × methods × status codes × protocol versions make a few dozen in normal use. The
    /// SDK's default, 2000, would let a sweep of /status add ~1.7 MB (request-duration series of ~4 KB) to every scrape.
    /// </summary>
    public const int CardinalityLimit = 100;

    /// <summary>
    /// One view for every instrument (views add up rather than override, so a second one would export the dropped instrument
    /// again). Histograms keep their instruments' advised buckets.
    /// </summary>
    public static MeterProviderBuilder AddCardinalityLimits(this MeterProviderBuilder metrics, string dropped) =>
        metrics.AddView(dropped, MetricStreamConfiguration.Drop)
            .AddView(instrument => instrument.Name == dropped ? null : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit });
}
