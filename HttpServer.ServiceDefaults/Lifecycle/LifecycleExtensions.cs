using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HttpServer.ServiceDefaults.Lifecycle;

public static class LifecycleExtensions
{
    public static TBuilder AddGracefulLifecycle<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCheckedOptions<LifecycleOptions>(LifecycleOptions.SectionName, static (section, o) => section.Bind(o), new LifecycleOptionsValidator());

        // The host's own timeout bounds the whole stop: the drain plus the in-flight requests.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<LifecycleOptions>>((host, lifecycle) =>
            host.ShutdownTimeout = lifecycle.Value.DrainDelay + lifecycle.Value.ShutdownTimeout);

        // After the drain, connections with no request in the application are aborted (IdleConnectionCloser).
        builder.Services.AddSingleton<IdleConnectionCloser>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IdleConnectionCloser>((kestrel, closer) =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(closer.Track)));

        builder.Services.AddHostedService<WarmupService>();
        builder.Services.AddHostedService<GracefulShutdownService>();
        return builder;
    }
}
