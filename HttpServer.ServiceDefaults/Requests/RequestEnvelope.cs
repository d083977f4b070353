using HttpServer.ServiceDefaults.AccessLogConsole;
using HttpServer.ServiceDefaults.Lifecycle;
using HttpServer.ServiceDefaults.Logging;

namespace HttpServer.ServiceDefaults.Requests;

/// <summary>
/// The server's own work per request, in one layer ahead of the app's pipeline: the <c>VERSION</c> header, the request marked
/// in the application for <see cref="IdleConnectionCloser"/>, and the access log line with the status the client got.
/// </summary>
internal sealed class RequestEnvelope
{
    private readonly RequestDelegate _next;
    private readonly ILogger _accessLog;
    private readonly Func<object, Task> _setVersion;
    // Both follow configuration reloads; kept here so that no request looks them up.
    private AccessLogOptions _accessLogOptions;
    private string _version;

    public RequestEnvelope(RequestDelegate next, ILoggerFactory loggerFactory, IOptionsMonitor<AccessLogOptions> accessLogOptions, IOptionsMonitor<ServiceVersionOptions> version)
    {
        (_next, _accessLog) = (next, loggerFactory.CreateLogger(AccessLogOptions.Category));
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
        var probe = Microsoft.Extensions.Hosting.Extensions.IsInfrastructurePath(request.Path)
            || request.Headers.UserAgent.ToString().StartsWith(WarmupService.UserAgent, StringComparison.Ordinal);
        var level = probe ? _accessLogOptions.ProbeLevel : _accessLogOptions.Level;
        if (_accessLog.IsEnabled(level))
        {
            var entry = new AccessLogEntry(context.Connection.RemoteIpAddress?.ToString() ?? "-", request.Method, request.Path.Value ?? "/",
                context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds, Activity.Current?.TraceId.ToHexString() ?? "-");
            _accessLog.Log(level, AccessLogOptions.Event, entry, null, AccessLogEntry.Formatter);
        }
        activity?.RequestEnded();
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
