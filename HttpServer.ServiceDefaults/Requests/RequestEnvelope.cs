using HttpServer.ServiceDefaults.AccessLogConsole;
using HttpServer.ServiceDefaults.Lifecycle;
using HttpServer.ServiceDefaults.Logging;
using HttpServer.ServiceDefaults.Management;
using Microsoft.AspNetCore.Http.Features;

namespace HttpServer.ServiceDefaults.Requests;

/// <summary>
/// The server's own work per request, in one layer ahead of the app's pipeline: the <c>VERSION</c> header, the request marked
/// in the application for <see cref="IdleConnectionCloser"/>, and the access log line with the status the client got. Also the
/// access log lines of the requests Kestrel rejects before the app sees them (400, 408, 414, 431: the ones an attacker sends),
/// which Kestrel reports on the host's DiagnosticSource.
/// </summary>
internal sealed class RequestEnvelope : IObserver<KeyValuePair<string, object?>>
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly RequestDelegate _next;
    private readonly ILogger _accessLog;
    private readonly Func<object, Task> _setVersion;
    private readonly int _managementPort; // read once at start
    // Both follow configuration reloads; kept here so that no request looks them up.
    private AccessLogOptions _accessLogOptions;
    private string _version;

    public RequestEnvelope(RequestDelegate next, ILoggerFactory loggerFactory, IOptionsMonitor<AccessLogOptions> accessLogOptions,
        IOptionsMonitor<ServiceVersionOptions> version, IOptions<ManagementOptions> management, DiagnosticListener? kestrelEvents = null)
    {
        (_next, _accessLog, _managementPort) = (next, loggerFactory.CreateLogger(AccessLogOptions.Category), management.Value.Port);
        _accessLogOptions = accessLogOptions.CurrentValue;
        accessLogOptions.OnChange(options => _accessLogOptions = options);
        _version = version.CurrentValue.Version;
        version.OnChange(options => _version = options.Version);
        // Set as headers are sent, so error pages (whose handler clears the headers) keep it too; one delegate for the app's lifetime.
        _setVersion = state =>
        {
            ((HttpResponse)state).Headers[ServiceVersionOptions.Key] = _version;
            return Task.CompletedTask;
        };
        kestrelEvents?.Subscribe(this, name => name == BadRequestEvent);
    }

    // Completed synchronously, an async method allocates nothing: it returns the cached completed task.
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        context.Response.OnStarting(_setVersion, context.Response);
        var activity = context.Features.Get<ConnectionActivity>(); // null under a test host, which has no connections
        activity?.RequestStarted();
        try
        {
            await _next(context);
        }
        finally
        {
            End(context, start, activity);
        }
    }

    private void End(HttpContext context, long start, ConnectionActivity? activity)
    {
        var request = context.Request;
        var probe = Microsoft.Extensions.Hosting.Extensions.IsProbe(context, _managementPort) || request.Headers.UserAgent == WarmupService.UserAgent;
        var level = probe ? _accessLogOptions.ProbeLevel : _accessLogOptions.Level;
        if (_accessLog.IsEnabled(level))
        {
            var entry = new AccessLogEntry(context.Connection.RemoteIpAddress?.ToString() ?? "-", request.Method, request.Path.Value ?? "/",
                context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds, Activity.Current?.TraceId.ToHexString() ?? "-");
            _accessLog.Log(level, AccessLogOptions.Event, entry, null, AccessLogEntry.Formatter);
        }
        activity?.RequestEnded();
    }

    // Write reaches every subscriber whatever its filter: other events pass by. A request rejected after the app answered was
    // logged by InvokeAsync already.
    public void OnNext(KeyValuePair<string, object?> value)
    {
        var level = _accessLogOptions.Level;
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features || features.Get<IHttpResponseFeature>() is { HasStarted: true }
            || !_accessLog.IsEnabled(level))
        {
            return;
        }
        var status = features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException rejected ? rejected.StatusCode : StatusCodes.Status400BadRequest;
        var request = features.Get<IHttpRequestFeature>();
        var entry = new AccessLogEntry(features.Get<IHttpConnectionFeature>()?.RemoteIpAddress?.ToString() ?? "-",
            string.IsNullOrEmpty(request?.Method) ? "-" : request.Method, string.IsNullOrEmpty(request?.Path) ? "-" : request.Path, status, 0, "-");
        _accessLog.Log(level, AccessLogOptions.Event, entry, null, AccessLogEntry.Formatter);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RequestEnvelope>();
            next(app);
        };
    }
}
