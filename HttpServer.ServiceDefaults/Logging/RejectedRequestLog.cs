using HttpServer.ServiceDefaults.AccessLogConsole;
using Microsoft.AspNetCore.Http.Features;

namespace HttpServer.ServiceDefaults.Logging;

/// <summary>
/// Access log lines for the requests Kestrel rejects before the app sees them (400, 408, 414, 431), reported on its
/// DiagnosticSource: the ones an attacker sends. One rejected after the app answered was logged by the envelope already.
/// </summary>
internal sealed class RejectedRequestLog(ILoggerFactory loggerFactory, IOptionsMonitor<AccessLogOptions> options) : IObserver<KeyValuePair<string, object?>>
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";
    private readonly ILogger _logger = loggerFactory.CreateLogger(AccessLogOptions.Category);

    public static bool IsEnabled(string name) => name == BadRequestEvent;

    public void OnNext(KeyValuePair<string, object?> value)
    {
        var level = options.CurrentValue.Level;
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features || features.Get<IHttpResponseFeature>() is { HasStarted: true }
            || !_logger.IsEnabled(level))
        {
            return;
        }
        var status = features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException rejected ? rejected.StatusCode : StatusCodes.Status400BadRequest;
        var request = features.Get<IHttpRequestFeature>();
        var entry = new AccessLogEntry(features.Get<IHttpConnectionFeature>()?.RemoteIpAddress?.ToString() ?? "-",
            string.IsNullOrEmpty(request?.Method) ? "-" : request.Method, string.IsNullOrEmpty(request?.Path) ? "-" : request.Path, status, 0, "-");
        _logger.Log(level, AccessLogOptions.Event, entry, null, AccessLogEntry.Formatter);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
