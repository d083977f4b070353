using System.Xml.Linq;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// What the Api in a rendered Deployment's container would see from the pod, by the app's precedence: environment
/// (the image's own, as the SDK writes it from the project's ContainerEnvironmentVariable items, then envFrom ConfigMaps,
/// then env), then the files of the ConfigMap mounted at APP_CONFIG_DIR (key-per-file).
/// </summary>
internal sealed class PodConfiguration
{
    public const string ConfigDirectoryVariable = "APP_CONFIG_DIR";

    public required V1Container Container { get; init; }
    public required Dictionary<string, string> Environment { get; init; }
    public required Dictionary<string, string> MountedFiles { get; init; }

    /// <summary>A setting as the app reads it: a mounted file, else the environment, else the app's own appsettings.json.</summary>
    public string? this[string key] =>
        MountedFiles.TryGetValue(key, out var mounted) ? mounted
        : Environment.TryGetValue(key, out var environment) ? environment
        : ApiAppSettings.Value(key);

    public static PodConfiguration For(RenderedManifests manifests, V1Deployment deployment)
    {
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Single();
        var environment = ImageEnvironment();
        foreach (var source in container.EnvFrom ?? [])
        {
            var configMap = manifests.ConfigMap(source.ConfigMapRef?.Name ?? throw new InvalidOperationException("envFrom without a ConfigMap"), deployment.Metadata.NamespaceProperty);
            foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.Value;
        }

        var mounted = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environment.TryGetValue(ConfigDirectoryVariable, out var configDirectory))
        {
            var mount = container.VolumeMounts?.SingleOrDefault(m => m.MountPath == configDirectory)
                ?? throw new InvalidOperationException($"{deployment.Metadata.Name}: nothing is mounted at {ConfigDirectoryVariable}={configDirectory}.");
            var volume = pod.Volumes.Single(v => v.Name == mount.Name);
            var configMap = manifests.ConfigMap(volume.ConfigMap?.Name ?? throw new InvalidOperationException($"{mount.Name} is not a ConfigMap volume."),
                deployment.Metadata.NamespaceProperty);
            foreach (var (key, value) in configMap.Data)
            {
                mounted[key] = value;
            }
        }
        return new PodConfiguration { Container = container, Environment = environment, MountedFiles = mounted };
    }

    private static Dictionary<string, string> ImageEnvironment() =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj")).Descendants("ContainerEnvironmentVariable")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Value")!, StringComparer.Ordinal);

    /// <summary>
    /// The built Api with this pod's environment alone (where it listens included: HTTP_PORTS, on every interface) and
    /// its mounted ConfigMap's files in a temporary APP_CONFIG_DIR; its client talks to <paramref name="address"/>.
    /// </summary>
    public ApiProcess StartApi(Uri address) => ApiProcess.StartListeningAsConfigured(
        Environment.ToDictionary(e => e.Key, e => (string?)e.Value), address, MountedFiles);
}
