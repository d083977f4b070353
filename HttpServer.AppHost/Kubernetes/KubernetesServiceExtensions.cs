using HttpServer.AppHost.Kubernetes;

namespace Aspire.Hosting;

/// <summary>A service's own production settings, on top of the AppHost's <c>Kubernetes</c> section (like Aspire's PublishAsKubernetesService).</summary>
public static class KubernetesServiceExtensions
{
    public static IResourceBuilder<T> PublishAsKubernetesService<T>(this IResourceBuilder<T> builder, Action<KubernetesSettings> configure)
        where T : IResource => builder.WithAnnotation(new KubernetesSettingsAnnotation(configure));
}

/// <summary>Applied, in order, to a copy of the shared settings when the service's objects are built.</summary>
public sealed record KubernetesSettingsAnnotation(Action<KubernetesSettings> Configure) : IResourceAnnotation;
