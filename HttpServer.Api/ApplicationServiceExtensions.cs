using HttpServer.Api.Faults;
using HttpServer.ServiceDefaults.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HttpServer.Api;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddSingleton<ServiceInfo>();
        builder.Services.AddSingleton<FaultMetrics>();
        // One instance for every endpoint it guards, resolved when the endpoints are mapped: the generic
        // AddEndpointFilter<T> would build a factory from a compiled expression tree at start-up instead.
        builder.Services.AddSingleton<FaultInjectionFilter>();
        builder.AddCheckedOptions<FaultInjectionOptions>(FaultInjectionOptions.SectionName, static (section, o) => section.Bind(o), new FaultInjectionOptionsValidator());
        builder.AddDownstreamClient();
        return builder;
    }

    /// <summary>
    /// The client /chain uses: service discovery ("http://backend") and the standard resilience handler, with short
    /// timeouts and retry delays so that a failing downstream is reported within seconds.
    /// </summary>
    private static void AddDownstreamClient(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<DownstreamOptions>(DownstreamOptions.SectionName, static (section, o) => section.Bind(o), new DownstreamOptionsValidator(), readAtStart: true);
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
                // Polly's retry takes 1 or more: "0 retries" keeps one that handles no outcome.
                resilience.Retry.MaxRetryAttempts = Math.Max(1, downstream.MaxRetryAttempts);
                if (downstream.MaxRetryAttempts == 0)
                {
                    resilience.Retry.ShouldHandle = static _ => PredicateResult.False();
                }
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.CircuitBreaker.SamplingDuration = resilience.AttemptTimeout.Timeout * 2 + TimeSpan.FromSeconds(10);
            });
    }
}
