using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Conformance.Tests.Manifests;

/// <summary>The pod template of a rendered Deployment and the values the kubelet takes from it.</summary>
public sealed record PodTemplate(V1Deployment Deployment, V1Container Container, RenderedManifests Manifests)
{
    public string Name => Deployment.Metadata.Name;

    public string? Namespace => Deployment.Metadata.NamespaceProperty;

    public V1PodSpec PodSpec => Deployment.Spec.Template.Spec;

    /// <summary>Kubernetes' default is 30 s.</summary>
    public int TerminationGracePeriodSeconds => (int)(PodSpec.TerminationGracePeriodSeconds ?? 30);

    public V1LifecycleHandler? PreStop => Container.Lifecycle?.PreStop;

    /// <summary>The preStop hook's length when it is a sleep (the sleep action or an exec of sleep).</summary>
    public int? PreStopSleepSeconds => PreStop switch
    {
        { Sleep: { } sleep } => (int)sleep.Seconds,
        { Exec.Command: { } command } when command.LastOrDefault()?.Trim() is { } last
            && int.TryParse(last.Replace("sleep", "", StringComparison.Ordinal).Trim(), out var seconds) => seconds,
        _ => null,
    };

    /// <summary>The container's environment for a pod of this template.</summary>
    public Dictionary<string, string> Environment(PodIdentity? pod = null) =>
        EnvironmentResolver.Resolve(Container, Manifests, Namespace, pod ?? new PodIdentity($"{Name}-template", "template"));

    /// <summary>Where the app reads its mounted configuration (APP_CONFIG_DIR), if set.</summary>
    public string? ConfigDirectory => Environment().GetValueOrDefault("APP_CONFIG_DIR");

    /// <summary>The ConfigMap mounted at APP_CONFIG_DIR, if any.</summary>
    public V1ConfigMap? MountedConfigMap =>
        (from mount in Container.VolumeMounts ?? []
         where ConfigDirectory is { } directory && mount.MountPath.TrimEnd('/') == directory.TrimEnd('/')
         let volume = PodSpec.Volumes.Single(v => v.Name == mount.Name)
         where volume.ConfigMap is not null
         select Manifests.ConfigMap(volume.ConfigMap.Name, Namespace)).FirstOrDefault();

    /// <summary>A configuration value as the app sees it: a mounted file overrides an env var; null leaves appsettings.json's.</summary>
    public string? Setting(string key) =>
        MountedConfigMap?.Data is { } mounted && mounted.TryGetValue(key, out var value)
            ? value
            : Environment().GetValueOrDefault(key);

    public static IReadOnlyList<PodTemplate> AllForImage(RenderedManifests manifests, string imageRepository)
    {
        var templates = manifests.DeploymentsRunning(imageRepository)
            .Select(match => new PodTemplate(match.Deployment, match.Container, manifests))
            .ToList();
        return templates.Count > 0
            ? templates
            : throw new InvalidOperationException($"No rendered Deployment runs {imageRepository}");
    }
}
