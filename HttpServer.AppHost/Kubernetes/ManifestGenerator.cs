using System.Text.RegularExpressions;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>A file of the generated output: its path relative to the output folder and the object it holds.</summary>
public sealed record ManifestFile(string Path, object Content);

/// <summary>
/// Turns service descriptions into aspirate's layout: a top-level kustomization.yaml naming one folder per
/// service, each with deployment.yaml, service.yaml and a kustomization.yaml whose configMapGenerator holds
/// the service's environment. Pure and deterministic: the same input gives the same objects in the same order.
/// </summary>
public static partial class ManifestGenerator
{
    public const string AppLabel = "app";

    /// <param name="services">The services to deploy.</param>
    /// <param name="components">Hand-kept kustomize components (folders in the output) the top level includes.</param>
    public static IReadOnlyList<ManifestFile> Generate(IReadOnlyList<ServiceDescription> services, IReadOnlyList<string> components)
    {
        Validate(services, components);
        var files = new List<ManifestFile>();
        var ordered = services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        files.Add(new ManifestFile("kustomization.yaml", new Kustomization
        {
            Resources = [.. ordered.Select(s => s.Name)],
            Components = components.Count == 0 ? null : [.. components],
        }));
        foreach (var service in ordered)
        {
            var resources = new List<string> { "deployment.yaml" };
            files.Add(new ManifestFile($"{service.Name}/deployment.yaml", KubernetesObjectFactory.Deployment(service, EnvironmentConfigMapName(service))));
            if (service.Ports.Count > 0)
            {
                resources.Add("service.yaml");
                files.Add(new ManifestFile($"{service.Name}/service.yaml", KubernetesObjectFactory.Service(service)));
            }
            files.Add(new ManifestFile($"{service.Name}/kustomization.yaml", new Kustomization
            {
                Resources = resources,
                ConfigMapGenerator =
                [
                    new ConfigMapGeneratorEntry
                    {
                        Name = EnvironmentConfigMapName(service),
                        Literals = [.. service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")],
                    },
                ],
            }));
        }
        return files;
    }

    /// <summary>The ConfigMap with the service's environment (kustomize appends a content hash, so a change rolls the pods).</summary>
    public static string EnvironmentConfigMapName(ServiceDescription service) => $"{service.Name}-env";

    private static void Validate(IReadOnlyList<ServiceDescription> services, IReadOnlyList<string> components)
    {
        if (services.Count == 0)
        {
            throw new ManifestGenerationException("The application model has no resource to deploy.");
        }
        foreach (var duplicate in services.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new ManifestGenerationException($"Resource name '{duplicate.Key}' is used twice.");
        }
        foreach (var service in services)
        {
            if (!DnsLabel().IsMatch(service.Name))
            {
                throw new ManifestGenerationException(
                    $"Resource '{service.Name}': a Kubernetes name must be a DNS label (lowercase letters, digits, '-', starting with a letter, at most 63 characters).");
            }
            if (components.Contains(service.Name, StringComparer.Ordinal))
            {
                throw new ManifestGenerationException($"Resource '{service.Name}' has the name of the hand-kept folder '{service.Name}'.");
            }
            if (string.IsNullOrWhiteSpace(service.Image.Repository) || string.IsNullOrWhiteSpace(service.Image.Tag))
            {
                throw new ManifestGenerationException(
                    $"Resource '{service.Name}' has no container image settings: set ContainerRepository and ContainerImageTag in its project.");
            }
            foreach (var port in service.Ports.Where(p => !PortName().IsMatch(p.Name)))
            {
                throw new ManifestGenerationException($"Resource '{service.Name}': endpoint name '{port.Name}' is not a valid port name (IANA_SVC_NAME).");
            }
            foreach (var key in service.Environment.Keys.Where(k => !ConfigMapKey().IsMatch(k)))
            {
                throw new ManifestGenerationException($"Resource '{service.Name}': environment variable '{key}' cannot be a ConfigMap key.");
            }
        }
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex PortName();

    [GeneratedRegex("^[-._a-zA-Z0-9]{1,253}$")]
    private static partial Regex ConfigMapKey();
}
