using Microsoft.AspNetCore.Server.Kestrel.Core;

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

    /// <summary>
    /// Each warm-up path local and absolute, of visible ASCII, such as <c>/version</c>: one '/' first, since "//host/x" (or
    /// "/\host/x") is a URL of another host to HttpClient, which the warm-up would call.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => WarmupPaths
        .Select((path, i) => (path, i))
        .Where(p => p.path is not { Length: > 0 and <= 2048 } || p.path[0] != '/' || p.path is [_, '/' or '\\', ..]
            || !p.path.All(c => c is >= '!' and <= '~'))
        .Select(p => new ValidationResult("expected a local path starting with one '/', of visible ASCII characters", [$"{nameof(WarmupPaths)}:{p.i}"]));
}

[OptionsValidator]
internal sealed partial class LifecycleOptionsValidator : IValidateOptions<LifecycleOptions>;

public static class LifecycleExtensions
{
    public static TBuilder AddGracefulLifecycle<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCheckedOptions<LifecycleOptions>(LifecycleOptions.SectionName, static (section, o) => section.Bind(o), new LifecycleOptionsValidator(), readAtStart: true);
        // The host's own timeout bounds the whole stop: the drain plus the in-flight requests.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<LifecycleOptions>>((host, lifecycle) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(lifecycle.Value.DrainDelaySeconds + lifecycle.Value.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton<IdleConnectionCloser>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IdleConnectionCloser>((kestrel, closer) =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(closer.Track)));
        builder.Services.AddHostedService<WarmupService>();
        builder.Services.AddHostedService<GracefulShutdownService>();
        return builder;
    }
}
