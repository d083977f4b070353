using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// Marks a request as in the application on its connection's <see cref="ConnectionActivity"/>, for
/// <see cref="IdleConnectionCloser"/>. Per request: one feature lookup and two uncontended atomic increments;
/// no allocation unless the pipeline completes asynchronously.
/// </summary>
internal sealed class InFlightRequestMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Null under a test host, which has no connections.
        var activity = context.Features.Get<ConnectionActivity>();
        if (activity is null)
        {
            return next(context);
        }
        activity.RequestStarted();
        Task pending;
        try
        {
            pending = next(context);
        }
        catch
        {
            activity.RequestEnded();
            throw;
        }
        if (pending.IsCompleted)
        {
            activity.RequestEnded();
            return pending;
        }
        return AwaitThenEnd(pending, activity);
    }

    private static async Task AwaitThenEnd(Task pending, ConnectionActivity activity)
    {
        try
        {
            await pending;
        }
        finally
        {
            activity.RequestEnded();
        }
    }
}

/// <summary>Puts <see cref="InFlightRequestMiddleware"/> first, ahead of the app's own pipeline.</summary>
internal sealed class InFlightRequestStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(request => new InFlightRequestMiddleware(request).InvokeAsync);
        next(app);
    };
}
