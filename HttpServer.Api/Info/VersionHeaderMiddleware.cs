namespace HttpServer.Api.Info;

internal static class VersionHeaderMiddleware
{
    /// <summary>
    /// Every response carries the VERSION header, set as headers are sent so error pages (whose handler clears
    /// the headers) keep it too. One callback for the app's lifetime, the response as its state: no allocation per request.
    /// </summary>
    public static WebApplication UseVersionHeader(this WebApplication app)
    {
        var info = app.Services.GetRequiredService<ServiceInfo>(); // its Version follows configuration reloads
        Func<object, Task> setHeader = state =>
        {
            ((HttpResponse)state).Headers[HttpServer.ServiceDefaults.Requests.ServiceVersionOptions.Key] = info.Version;
            return Task.CompletedTask;
        };
        app.Use((context, next) =>
        {
            context.Response.OnStarting(setHeader, context.Response);
            return next(context);
        });
        return app;
    }
}
