using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace HttpServer.ServiceDefaults.Requests;

/// <summary>
/// A body Kestrel finds bad while the app reads it (413, 408, 400) is the client's fault: Kestrel's status as ProblemDetails,
/// logged at Debug, not the framework's 500 with a stack trace that 5xx alerts would count against the server.
/// </summary>
internal sealed partial class ClientErrorHandler(IProblemDetailsService problems, ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            // Kestrel's body parser lets a few malformed inputs out as a plain IOException ("Bad chunk size data.").
            IOException when !context.RequestAborted.IsCancellationRequested => StatusCodes.Status400BadRequest,
            _ => 0,
        };
        if (status == 0)
        {
            return false;
        }
        LogRejected(logger, status, exception.Message);
        context.Response.StatusCode = status;
        context.Response.Headers.Connection = "close"; // the rest of the body can't be framed any more
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = exception.Message },
        });
    }

    [LoggerMessage(1, LogLevel.Debug, "Request rejected with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason);
}
