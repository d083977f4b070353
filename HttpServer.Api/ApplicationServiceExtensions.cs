using HttpServer.Api;
using HttpServer.Api.Faults;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddSingleton<ServiceInfo>();
        builder.Services.AddSingleton<ApiMetrics>();
        // One instance for every endpoint it guards, resolved when the endpoints are mapped: the generic
        // AddEndpointFilter<T> would build a factory from a compiled expression tree at start-up instead.
        builder.Services.AddSingleton<FaultInjectionFilter>();
        // Values are judged by the settings guard (ApiSettings), at start and on every reload.
        builder.AddSettingRules(ApiSettings.Rules);
        builder.Services.AddOptions<FaultInjectionOptions>().BindConfiguration(FaultInjectionOptions.SectionName);
        builder.AddDownstreamClient();
        return builder;
    }

    /// <summary>
    /// The client /chain uses: service discovery ("http://backend") and the standard resilience handler, with short
    /// timeouts and retry delays so that a failing downstream is reported within seconds.
    /// </summary>
    private static void AddDownstreamClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DownstreamOptions>().BindConfiguration(DownstreamOptions.SectionName);
        builder.Services.AddServiceDiscovery();
        builder.Services.AddHttpClient<DownstreamClient>((services, client) =>
                client.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.BaseUri)
            .AddServiceDiscovery()
            .AddStandardResilienceHandler()
            .Configure((resilience, services) =>
            {
                var downstream = services.GetRequiredService<IOptions<DownstreamOptions>>().Value;
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(downstream.AttemptTimeoutSeconds);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(downstream.TotalTimeoutSeconds);
                resilience.Retry.MaxRetryAttempts = downstream.MaxRetryAttempts;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.CircuitBreaker.SamplingDuration = resilience.AttemptTimeout.Timeout * 2 + TimeSpan.FromSeconds(10);
            });
    }
}
