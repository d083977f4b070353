namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// Start and stop timings (section <c>Lifecycle</c>). On Kubernetes:
/// terminationGracePeriodSeconds must exceed preStop sleep + DrainDelaySeconds + ShutdownTimeoutSeconds.
/// </summary>
public sealed class LifecycleOptions : IValidatableObject
{
    public const string SectionName = "Lifecycle";

    /// <summary>Seconds the server keeps serving after SIGTERM with readiness off, so endpoints can be removed.</summary>
    [Range(0.0, 300.0)]
    public double DrainDelaySeconds { get; set; } = 5;

    /// <summary>Seconds in-flight requests get to finish once the server stops accepting.</summary>
    [Range(0.0, 300.0)]
    public double ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Extra seconds of warm-up, to demonstrate a slow start; 0 by default.</summary>
    [Range(0.0, 600.0)]
    public double WarmupExtraDelaySeconds { get; set; }

    /// <summary>Paths the service requests from itself before it reports ready, priming the code they run.</summary>
    public string[] WarmupPaths { get; set; } = [];

    public TimeSpan DrainDelay => TimeSpan.FromSeconds(DrainDelaySeconds);
    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);
    public TimeSpan WarmupExtraDelay => TimeSpan.FromSeconds(WarmupExtraDelaySeconds);

    /// <summary>Each warm-up path absolute, of visible ASCII, such as <c>/version</c>.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => WarmupPaths
        .Select((path, i) => (path, i))
        .Where(p => p.path is not { Length: > 0 and <= 2048 } || p.path[0] != '/' || !p.path.All(c => c is >= '!' and <= '~'))
        .Select(p => new ValidationResult("expected a path starting with '/', of visible ASCII characters", [$"{nameof(WarmupPaths)}:{p.i}"]));
}

[OptionsValidator]
internal sealed partial class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>;
