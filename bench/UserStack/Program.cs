// "Why not just use the defaults?": the same contract as HttpServer.Api (echo, VERSION header, an access log line
// per request with client IP, status, duration and trace id, health and metrics endpoints, ProblemDetails), built
// the way the templates and docs suggest. The Api's bench rows are compared with this one (bench/README.md).
using HttpServer.Api.Echo;
using Microsoft.AspNetCore.HttpLogging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Logging.ClearProviders();
// The framework's JSON console logger; the scopes carry the trace id (the host's ActivityTrackingOptions).
builder.Logging.AddJsonConsole(o =>
{
    o.IncludeScopes = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
    o.UseUtcTimestamp = true;
});
builder.Services.AddHttpLogging(o =>
{
    o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
        | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
    o.CombineLogs = true; // one line per request
});
builder.Services.AddHttpLoggingInterceptor<ClientIpInterceptor>(); // HTTP logging has no client IP field
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseHttpLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
var version = app.Configuration["VERSION"] ?? "unknown";
app.Use((context, next) =>
{
    context.Response.OnStarting(() =>
    {
        context.Response.Headers["VERSION"] = version;
        return Task.CompletedTask;
    });
    return next(context);
});

app.MapDefaultEndpoints();
app.MapGet("/", (HttpRequest request, HttpResponse response) =>
{
    EchoedHeaders.CopyTo(request.Headers, response.Headers);
    return TypedResults.Ok();
});

app.Run();

internal sealed class ClientIpInterceptor : IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
    {
        logContext.AddParameter("ClientIp", logContext.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "-");
        return default;
    }

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext) => default;
}
