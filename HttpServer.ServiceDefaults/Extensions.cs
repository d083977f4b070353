using HttpServer.ServiceDefaults.Health;
using HttpServer.ServiceDefaults.Kestrel;
using HttpServer.ServiceDefaults.Lifecycle;
using HttpServer.ServiceDefaults.Logging;
using HttpServer.ServiceDefaults.Management;
using HttpServer.ServiceDefaults.Networking;
using HttpServer.ServiceDefaults.Requests;
using HttpServer.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Shared by every service of the app: telemetry, health, lifecycle and logging. Resilience and service discovery
// go on the clients that call other services (see the Api's DownstreamClient), not on every HttpClient.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddSettingsGuard(); // first: a mounted directory that is missing is refused as a bad setting is
        builder.Configuration.AddMountedConfiguration();
        builder.AddCheckedOptions<ServiceVersionOptions>("", static (root, o) => root.Bind(o), new ServiceVersionOptionsValidator());
        builder.ConfigureLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddManagementPort();
        builder.AddGracefulLifecycle();
        KestrelLimitsOptions.AddTo(builder);
        TrustedForwardedHeaders.AddTo(builder);
        builder.Services.AddSingleton<IStartupFilter, RequestEnvelope.StartupFilter>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClientErrorHandler>();
        return builder;
    }

    /// <summary>
    /// Metrics always; traces and OpenTelemetry logs only with an OTLP endpoint, or the SDK would build records nobody receives,
    /// at a cost per request. Trace ids are made anyway: ASP.NET Core starts an Activity per request and continues traceparent.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var appName = builder.Environment.ApplicationName;
        var otel = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            // A counter update on every request that says no more than http.server.request.duration's count.
            .AddCardinalityLimits(dropped: "aspnetcore.routing.match_attempts")
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(appName, SettingsGuard.MeterName, ReadinessToggle.MeterName)
            .AddPrometheusExporter());
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Logging.AddOpenTelemetry(logging => (logging.IncludeFormattedMessage, logging.IncludeScopes) = (true, true));
        otel.WithTracing(tracing => tracing
                .AddSource(appName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        // Probes and scrapes every few seconds would drown the real traces. The management port is read once, when the
        // instrumentation's options are built, as RequestEnvelope reads it: not looked up for every request.
        builder.Services.AddOptions<AspNetCoreTraceInstrumentationOptions>().Configure<IOptions<ManagementOptions>>((instrumentation, management) =>
        {
            var port = management.Value.Port;
            instrumentation.Filter = context => !IsProbe(context, port);
        });
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("The process serves requests."), ["live"])
            .AddCheck<ReadinessState>("readiness", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Forwarded headers (when configured), the management port's filter, and ProblemDetails for every error by the framework's
    /// exception handler and status-code pages. <see cref="RequestEnvelope"/> wraps it all in one layer ahead of the app's.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        TrustedForwardedHeaders.Use(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseManagementPort(); // after the status-code pages: its 404 is the same ProblemDetails as an unknown path's
        return app;
    }

    /// <summary>Probes and /metrics in every environment; with a management port, /metrics and the operator endpoints answer there only.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var live = new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") };
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") };
        // Probes GET (kubelet) or HEAD; anything else gets routing's 405 with Allow, as the other endpoints do.
        foreach (var (path, options) in new[] { (HealthPaths.Liveness, live), (AliveAlias, live), (HealthPaths.Readiness, ready), (HealthAlias, ready) })
        {
            app.MapHealthChecks(path, options).WithMetadata(new HttpMethodMetadata(ReadMethods.GetAndHead));
        }
        app.MapPrometheusScrapingEndpoint(ManagementPaths.Metrics);
        if (app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.Enabled)
        {
            app.MapOperatorEndpoints(); // never on a public port: without a management port there are none
        }
        return app;
    }

    private const string AliveAlias = "/alive";
    private const string HealthAlias = "/health";

    private static readonly PathString[] ProbePaths = [HealthPaths.Liveness, AliveAlias, HealthPaths.Readiness, HealthAlias, ManagementPaths.Metrics];

    /// <summary>
    /// A probe or scrape, quieter in the access log and left out of traces: one of their exact paths (a client must not hide its
    /// requests under them, as in /metrics/x), on the management port when there is one (<paramref name="managementPort"/> 0: none).
    /// </summary>
    internal static bool IsProbe(HttpContext context, int managementPort)
    {
        if (managementPort > 0 && context.Connection.LocalPort != managementPort)
        {
            return false;
        }
        foreach (var path in ProbePaths)
        {
            if (context.Request.Path.Equals(path)) // case-insensitive, as routing
            {
                return true;
            }
        }
        return false;
    }
}
