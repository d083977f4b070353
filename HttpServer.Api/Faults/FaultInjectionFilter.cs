using Microsoft.Extensions.Options;

namespace HttpServer.Api.Faults;

/// <summary>Adds the configured random delay (recorded in a histogram) and error rate to an endpoint.</summary>
internal sealed class FaultInjectionFilter(IOptionsMonitor<FaultInjectionOptions> options, FaultMetrics metrics) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.CurrentValue;
        if (settings.DelayMaxMs <= 0 && settings.ErrorRate <= 0)
        {
            // Injection off (the usual case): straight through, without an async state machine.
            metrics.RecordInjectedDelay(0);
            return next(context);
        }
        return InjectAsync(settings, context, next);
    }

    private async ValueTask<object?> InjectAsync(FaultInjectionOptions settings, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var delayMs = 0;
        if (settings.DelayMaxMs > 0)
        {
            var min = Math.Min(settings.DelayMinMs, settings.DelayMaxMs);
            delayMs = Random.Shared.Next(min, settings.DelayMaxMs + 1);
            await Task.Delay(delayMs, context.HttpContext.RequestAborted);
        }
        metrics.RecordInjectedDelay(delayMs);

        if (settings.ErrorRate > 0 && Random.Shared.NextDouble() < settings.ErrorRate)
        {
            metrics.RecordInjectedError();
            return TypedResults.Problem(
                statusCode: settings.ErrorStatusCode,
                title: "Injected fault",
                detail: $"FaultInjection:ErrorRate is {settings.ErrorRate}; this request was chosen to fail.");
        }
        return await next(context);
    }
}
