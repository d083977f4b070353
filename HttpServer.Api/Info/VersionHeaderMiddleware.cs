namespace Microsoft.AspNetCore.Builder;

internal static class VersionHeaderMiddleware
{
    /// <summary>Every response carries the VERSION header, set as headers are sent so error pages keep it too.</summary>
    public static WebApplication UseVersionHeader(this WebApplication app)
    {
        var info = app.Services.GetRequiredService<ServiceInfo>();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (response, info) = ((HttpResponse, ServiceInfo))state;
                response.Headers[ServiceInfo.VersionKey] = info.Version;
                return Task.CompletedTask;
            }, (context.Response, info));
            return next(context);
        });
        return app;
    }
}
