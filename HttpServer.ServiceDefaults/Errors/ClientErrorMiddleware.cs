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
            await RejectAsync(context, ex.StatusCode, ex.Message);
        }
        catch (IOException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel's body parser lets a few malformed inputs out as a plain IOException ("Bad chunk size data."
            // for a chunk size that overflows); this app reads nothing else that could throw one.
            await RejectAsync(context, StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    private async Task RejectAsync(HttpContext context, int status, string reason)
    {
        LogRejected(logger, status, reason);
        if (context.Response.HasStarted)
        {
            context.Abort(); // too late for a status: end the connection rather than send a truncated answer
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.Headers.Connection = "close"; // the rest of the body can't be framed any more
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = reason },
        });
    }

    [LoggerMessage(1, LogLevel.Debug, "Request rejected with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason);
}
