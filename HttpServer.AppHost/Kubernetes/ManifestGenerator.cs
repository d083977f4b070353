using System.Text.RegularExpressions;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>A file of the generated output: its path relative to the output folder and the object it holds.</summary>
public sealed record ManifestFile(string Path, object Content);

/// <summary>
/// Turns service descriptions into aspirate's layout: a top-level kustomization.yaml naming one folder per
/// service, each with deployment.yaml, service.yaml and a kustomization.yaml whose configMapGenerator holds
/// the service's environment. Then the generated part of the production layer: the component per-service/ with
/// each service's settings ConfigMap, PodDisruptionBudget, autoscaler, NetworkPolicy and (external services) Ingress.
/// The hand-kept component production/ patches every Deployment alike. Pure and deterministic: the same input
/// gives the same objects in the same order.
/// </summary>
public static partial class ManifestGenerator
{
    /// <summary>The generated component with each service's production objects.</summary>
    public const string PerServiceComponent = "per-service";

    /// <param name="services">The services to deploy.</param>
    /// <param name="components">Hand-kept kustomize components (folders in the output) the top level includes after per-service/.</param>
    /// <param name="options">What the generated production objects share.</param>
    public static IReadOnlyList<ManifestFile> Generate(IReadOnlyList<ServiceDescription> services, IReadOnlyList<string> components, ProductionOptions? options = null)
    {
        options ??= new ProductionOptions();
        Validate(services, [PerServiceComponent, .. components]);
        var files = new List<ManifestFile>();
        var ordered = services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        files.Add(new ManifestFile("kustomization.yaml", new Kustomization
        {
            Resources = [.. ordered.Select(s => s.Name)],
            Components = [PerServiceComponent, .. components],
        }));
        foreach (var service in ordered)
        {
            files.AddRange(BaseFiles(service, options));
        }
        files.AddRange(PerServiceFiles(ordered, options));
        return files;
    }

    /// <summary>aspirate's folder for one service: what the model says, nothing of production.</summary>
    private static IEnumerable<ManifestFile> BaseFiles(ServiceDescription service, ProductionOptions options)
    {
        var resources = new List<string> { "deployment.yaml" };
        yield return new ManifestFile($"{service.Name}/deployment.yaml", KubernetesObjectFactory.Deployment(service, EnvironmentConfigMapName(service)));
        if (service.Ports.Count > 0)
        {
            resources.Add("service.yaml");
            yield return new ManifestFile($"{service.Name}/service.yaml", KubernetesObjectFactory.Service(service));
        }
        // Live settings go to the mounted settings ConfigMap instead (one place for each value); VERSION is the release.
        var environment = service.Environment
            .Where(e => e.Key != "VERSION" && !options.LiveSettingDefaults.ContainsKey(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal);
        yield return new ManifestFile($"{service.Name}/kustomization.yaml", new Kustomization
        {
            Resources = resources,
            ConfigMapGenerator = [new ConfigMapGeneratorEntry { Name = EnvironmentConfigMapName(service), Literals = [.. environment.Select(e => $"{e.Key}={e.Value}")] }],
            GeneratorOptions = new GeneratorOptions { Labels = KubernetesLabels.All(service) },
        });
    }

    private static IEnumerable<ManifestFile> PerServiceFiles(IReadOnlyList<ServiceDescription> services, ProductionOptions options)
    {
        var files = new List<ManifestFile>();
        var patches = new List<KustomizePatch>();
        foreach (var service in services)
        {
            var name = service.Name;
            files.Add(new ManifestFile($"{PerServiceComponent}/{name}-settings.yaml", ProductionObjectFactory.Settings(service, options)));
            files.Add(new ManifestFile($"{PerServiceComponent}/{name}-pdb.yaml", ProductionObjectFactory.DisruptionBudget(service)));
            files.Add(new ManifestFile($"{PerServiceComponent}/{name}-hpa.yaml", ProductionObjectFactory.Autoscaler(service, options)));
            files.Add(new ManifestFile($"{PerServiceComponent}/{name}-networkpolicy.yaml", ProductionObjectFactory.NetworkPolicy(service, services, options)));
            if (service.IsExternal)
            {
                files.Add(new ManifestFile($"{PerServiceComponent}/{name}-ingress.yaml", ProductionObjectFactory.Ingress(service, options)));
            }
            var patch = $"{name}-settings-volume.yaml";
            patches.Add(new KustomizePatch { Path = patch });
            files.Add(new ManifestFile($"{PerServiceComponent}/{patch}", ProductionObjectFactory.SettingsVolumePatch(service)));
        }
        var resources = files.Select(f => f.Path[(PerServiceComponent.Length + 1)..]).Where(f => !f.EndsWith("-settings-volume.yaml", StringComparison.Ordinal));
        return [new ManifestFile($"{PerServiceComponent}/kustomization.yaml", new KustomizeComponent { Resources = [.. resources], Patches = patches }), .. files];
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
                throw new ManifestGenerationException($"Resource '{service.Name}' has the name of the component folder '{service.Name}'.");
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
