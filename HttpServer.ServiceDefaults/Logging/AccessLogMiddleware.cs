using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HttpServer.ServiceDefaults.Logging;

/// <summary>One structured line per request: client IP, method, path, status, duration, trace id.</summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, IOptionsMonitor<AccessLogOptions> options)
{
    public const string Category = "HttpServer.AccessLog";
    public static readonly EventId AccessLogEvent = new(1, "AccessLog");
    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var settings = options.CurrentValue;
            var level = IsProbe(context.Request) ? settings.ProbeLevel : settings.Level;
            if (_logger.IsEnabled(level))
            {
                var clientIp = context.Connection.RemoteIpAddress?.ToString() ?? "-";
                var path = context.Request.Path.Value ?? "/";
                var durationMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var traceId = Activity.Current?.TraceId.ToHexString() ?? "-";
                var entry = new AccessLogEntry(clientIp, context.Request.Method, path, context.Response.StatusCode, durationMs, traceId);
                _logger.Log(level, AccessLogEvent, entry, null, AccessLogEntry.Formatter);
            }
        }
    }

    private static bool IsProbe(HttpRequest request) =>
        Extensions.IsInfrastructurePath(request.Path)
        || request.Headers.UserAgent.ToString().StartsWith(Lifecycle.WarmupService.UserAgent, StringComparison.Ordinal);
}
