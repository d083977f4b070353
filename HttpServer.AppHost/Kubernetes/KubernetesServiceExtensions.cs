using HttpServer.AppHost.Kubernetes;

namespace Aspire.Hosting;

/// <summary>A service's own production settings, on top of the AppHost's <c>Kubernetes</c> section (like Aspire's PublishAsKubernetesService).</summary>
public static class KubernetesServiceExtensions
{
    public static IResourceBuilder<T> PublishAsKubernetesService<T>(this IResourceBuilder<T> builder, Action<KubernetesSettings> configure)
        where T : IResource => builder.WithAnnotation(new KubernetesSettingsAnnotation(configure));

    /// <summary>
    /// The service may run a canary next to its stable version (docs/traffic.md), switched on and weighted by the AppHost's
    /// configuration section <c>Kubernetes:Canaries:&lt;name&gt;</c> (<c>Version</c>, <c>Weight</c>).
    /// </summary>
    public static IResourceBuilder<T> WithKubernetesCanary<T>(this IResourceBuilder<T> builder)
        where T : IResource => builder.PublishAsKubernetesService(settings =>
        {
            settings.Canary.Declared = true;
            SettingsBinding.Canary(builder.ApplicationBuilder.Configuration, builder.Resource.Name, settings.Canary);
        });
}

/// <summary>Applied, in order, to a copy of the shared settings when the service's objects are built.</summary>
public sealed record KubernetesSettingsAnnotation(Action<KubernetesSettings> Configure) : IResourceAnnotation;
