namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// Start and stop timings (section <c>Lifecycle</c>). On Kubernetes:
/// terminationGracePeriodSeconds must exceed preStop sleep + DrainDelaySeconds + ShutdownTimeoutSeconds.
/// The ranges are rules of ServiceDefaultsSettings.
/// </summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>Seconds the server keeps serving after SIGTERM with readiness off, so endpoints can be removed.</summary>
    public double DrainDelaySeconds { get; set; } = 5;

    /// <summary>Seconds in-flight requests get to finish once the server stops accepting.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Extra seconds of warm-up, to demonstrate a slow start; 0 by default.</summary>
    public double WarmupExtraDelaySeconds { get; set; }

    /// <summary>Paths the service requests from itself before it reports ready, priming the code they run.</summary>
    public string[] WarmupPaths { get; set; } = [];

    public TimeSpan DrainDelay => TimeSpan.FromSeconds(DrainDelaySeconds);
    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);
    public TimeSpan WarmupExtraDelay => TimeSpan.FromSeconds(WarmupExtraDelaySeconds);
}
