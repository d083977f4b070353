using HttpServer.ServiceDefaults.Lifecycle;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class LifecycleExtensions
{
    public static TBuilder AddGracefulLifecycle<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Values are judged by the settings guard (ServiceDefaultsSettings), at start and on every reload.
        builder.Services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.SectionName);

        // The host's own timeout bounds the whole stop: the drain plus the in-flight requests.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<LifecycleOptions>>((host, lifecycle) =>
            host.ShutdownTimeout = lifecycle.Value.DrainDelay + lifecycle.Value.ShutdownTimeout);

        // After the drain, connections with no request in the application are aborted (IdleConnectionCloser).
        builder.Services.AddSingleton<IdleConnectionCloser>();
        builder.Services.AddSingleton<IStartupFilter, InFlightRequestStartupFilter>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IdleConnectionCloser>((kestrel, closer) =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(closer.Track)));

        builder.Services.AddHostedService<WarmupService>();
        builder.Services.AddHostedService<GracefulShutdownService>();
        return builder;
    }
}
