using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace HttpServer.ServiceDefaults.Errors;

/// <summary>
/// A request Kestrel finds bad while the app reads its body (too large: 413, too slow: 408, broken chunking or an
/// early end: 400) is the client's fault: it keeps Kestrel's status as a ProblemDetails answer and is logged at Debug.
/// Without this the exception handler would answer 500 with an Error line and a stack trace for each, and 5xx
/// metrics and alerts would count a client's mistakes (or attacks) as the server's.
/// </summary>
internal sealed partial class ClientErrorMiddleware(RequestDelegate next, IProblemDetailsService problems, ILogger<ClientErrorMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var task = next(context);
        return task.IsCompletedSuccessfully ? Task.CompletedTask : AwaitAsync(task, context);
    }

    private async Task AwaitAsync(Task task, HttpContext context)
    {
        try
        {
            await task;
        }
        catch (BadHttpRequestException ex)
        {
            LogRejected(logger, ex.StatusCode, ex.Message);
            if (context.Response.HasStarted)
            {
                context.Abort(); // too late for a status: end the connection rather than send a truncated answer
                return;
            }
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
            context.Response.Headers.Connection = "close"; // the rest of the body can't be framed any more
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = ex.StatusCode, Title = ReasonPhrases.GetReasonPhrase(ex.StatusCode), Detail = ex.Message },
            });
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Request rejected with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason);
}
