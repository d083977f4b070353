using System.Diagnostics.Metrics;

namespace HttpServer.Api.Faults;

/// <summary>The fault injection's instruments, on the meter named after the application (exported by ServiceDefaults).</summary>
internal sealed class FaultMetrics
{
    private readonly Histogram<double> _injectedDelay;
    private readonly Counter<long> _injectedErrors;

    public FaultMetrics(IMeterFactory meterFactory, IHostEnvironment environment)
    {
        var meter = meterFactory.Create(environment.ApplicationName);
        _injectedDelay = meter.CreateHistogram<double>(
            "httpserver.injected_delay", unit: "ms", description: "Delay injected into requests to / by FaultInjection.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000] });
        _injectedErrors = meter.CreateCounter<long>(
            "httpserver.injected_errors", description: "Requests to / answered with an injected error.");
    }

    public void RecordInjectedDelay(int milliseconds) => _injectedDelay.Record(milliseconds);

    public void RecordInjectedError() => _injectedErrors.Add(1);
}
