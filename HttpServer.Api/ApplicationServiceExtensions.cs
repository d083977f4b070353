using HttpServer.Api;
using HttpServer.Api.Faults;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddSingleton<ServiceInfo>();
        builder.Services.AddSingleton<ApiMetrics>();
        builder.Services.AddOptions<FaultInjectionOptions>()
            .BindConfiguration(FaultInjectionOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FaultInjectionOptions>, FaultInjectionOptionsValidator>();
        return builder;
    }
}
