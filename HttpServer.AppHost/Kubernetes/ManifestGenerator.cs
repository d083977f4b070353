using System.Text.RegularExpressions;
using k8s;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>A file of the generated output: its path relative to the output folder and the object (or text) it holds.</summary>
public sealed record ManifestFile(string Path, object Content);

/// <summary>
/// The kustomize writer, in aspirate's layout: per service an aspirate-style base (deployment.yaml, service.yaml and a
/// configMapGenerator with its environment), then the production layer (the Component production/: each service's
/// Deployment patch, live settings ConfigMap, PodDisruptionBudget, autoscaler, NetworkPolicy and Ingress), then every
/// optional component as a Component of its own, listed when switched on. Pure and deterministic: the same object set gives the same files.
/// </summary>
public static partial class ManifestGenerator
{
    public const string ProductionComponent = "production";
    internal const string KustomizeApi = "kustomize.config.k8s.io/v1beta1";

    public static IReadOnlyList<ManifestFile> Generate(ObjectSet set)
    {
        var files = new List<ManifestFile> { new("kustomization.yaml", Kustomization(set, set.Enabled)) };
        foreach (var objects in set.Services)
        {
            var name = objects.Service.Name;
            files.Add(new($"{name}/deployment.yaml", objects.Deployment));
            files.AddRange(objects.Service.Ports.Count > 0 ? [new ManifestFile($"{name}/service.yaml", objects.ServiceObject)] : []);
            files.Add(new($"{name}/kustomization.yaml", new
            {
                apiVersion = KustomizeApi,
                kind = "Kustomization",
                resources = objects.Service.Ports.Count > 0 ? ["deployment.yaml", "service.yaml"] : (string[])["deployment.yaml"],
                // kustomize adds a content hash to the generated name and rewrites the references to it.
                configMapGenerator = new[] { new { name = objects.Environment.Metadata.Name, literals = objects.Environment.Data.Select(e => $"{e.Key}={e.Value}") } },
                // Labels for the generated ConfigMap (the KubernetesClient objects carry their own).
                generatorOptions = new { labels = objects.Environment.Metadata.Labels },
            }));
        }
        var production = set.Services
            .SelectMany(o => o.Production.Select(r => new ManifestFile($"{o.Service.Name}-{ObjectSet.KindOf(r).ToLowerInvariant()}.yaml", r))).ToList();
        var deploymentPatches = set.Services.Select(o => new ManifestFile($"{o.Service.Name}-deployment-patch.yaml", o.DeploymentPatch)).ToList();
        files.AddRange(Layer(ProductionComponent, production, deploymentPatches, [.. deploymentPatches.Select(p => new { path = p.Path })]));
        files.AddRange(set.Components.SelectMany(c => Component(c, set)));
        return files;
    }

    /// <summary>
    /// The services with the production layer and the given components: the output's own kustomization (the components
    /// switched on), and deploy's renders of what the output can hold, from a folder outside it (<paramref name="output"/>: the
    /// way there, ending in /).
    /// </summary>
    public static object Kustomization(ObjectSet set, IEnumerable<OptionalComponent> components, string output = "") => new
    {
        apiVersion = KustomizeApi,
        kind = "Kustomization",
        resources = set.Services.Select(s => output + s.Service.Name).ToList(),
        components = (string[])[output + ProductionComponent, .. components.Select(c => output + c.Path)],
    };

    /// <summary>
    /// A component's own objects, and JSON patches (RFC 6902: a strategic merge cannot key env and egress items) that append its
    /// environment and egress to each app service's.
    /// </summary>
    private static IEnumerable<ManifestFile> Component(OptionalComponent component, ObjectSet set)
    {
        var resources = component.Resources.Where(r => !component.Needs.TryGetValue(r, out var needed) || needed.Enabled)
            .Select(o => new ManifestFile($"{ObjectSet.KindOf(o).ToLowerInvariant()}-{ObjectSet.NameOf(o)}.yaml", o)).ToList();
        var patches = new List<object>();
        var files = new List<ManifestFile>();
        if (component.AppEnvironment.Count > 0)
        {
            files.Add(new("app-environment.yaml", component.AppEnvironment.Select(v => new { op = "add", path = "/spec/template/spec/containers/0/env/-", value = v }).ToList()));
            patches.AddRange(set.AppDeployments.Select(d => new { path = "app-environment.yaml", target = new { kind = "Deployment", name = d } }));
        }
        if (component.AppEgress.Count > 0)
        {
            files.Add(new("app-egress.yaml", component.AppEgress.Select(r => new { op = "add", path = "/spec/egress/-", value = r }).ToList()));
            patches.AddRange(set.Services.Select(s => new { path = "app-egress.yaml", target = new { kind = "NetworkPolicy", name = s.Service.Name } }));
        }
        foreach (var (kind, name) in component.Removes)
        {
            var path = $"remove-{kind.ToLowerInvariant()}-{name}.yaml";
            // kustomize matches the object to delete by apiVersion too: the removed production object's own.
            var removed = set.Services.SelectMany(s => s.Production).OfType<IKubernetesObject>().First(o => o.Kind == kind && ObjectSet.NameOf(o) == name);
            files.Add(new(path, new Dictionary<string, object>
            {
                ["$patch"] = "delete",
                ["apiVersion"] = removed.ApiVersion,
                ["kind"] = kind,
                ["metadata"] = new Dictionary<string, string> { ["name"] = name },
            }));
            patches.Add(new { path });
        }
        return Layer(component.Path, resources, files, patches);
    }

    /// <summary>
    /// A kustomize Component in its folder: the resources it adds, and the patches (a file, applied to the object it names or
    /// to the ones <c>target</c> selects) it applies to what it is included with.
    /// </summary>
    private static IEnumerable<ManifestFile> Layer(string folder, List<ManifestFile> resources, List<ManifestFile> files, List<object> patches) =>
    [
        new($"{folder}/kustomization.yaml", new
        {
            apiVersion = "kustomize.config.k8s.io/v1alpha1",
            kind = "Component",
            resources = resources.Select(r => r.Path),
            patches = patches.Count == 0 ? null : patches,
        }),
        .. resources.Concat(files).Select(f => f with { Path = $"{folder}/{f.Path}" }),
    ];

    /// <summary>Refuses a model the writers cannot express, before anything is written.</summary>
    public static void Validate(IReadOnlyList<ServiceDescription> services)
    {
        if (services.Count == 0)
        {
            throw new ManifestGenerationException("The application model has no resource to deploy.");
        }
        foreach (var duplicate in services.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new ManifestGenerationException($"Resource name '{duplicate.Key}' is used twice.");
        }
        if (services.Where(s => s.IsExternal).Select(s => s.Name).Order(StringComparer.Ordinal).ToList() is [var first, var second, ..])
        {
            // Each external service gets the Ingress (or HTTPRoute) on the one host, path /: ingress-nginx's admission webhook rejects the second.
            throw new ManifestGenerationException(
                $"Resources '{first}' and '{second}' both have external endpoints (WithExternalHttpEndpoints): both would get Kubernetes:IngressHost "
                + $"({services[0].Settings.IngressHost}) with path /, which one Ingress controller serves once. Make one resource external and let it call the others.");
        }
        foreach (var service in services)
        {
            if (!Rfc1035Label().IsMatch(service.Name))
            {
                throw new ManifestGenerationException(
                    $"Resource '{service.Name}': a Kubernetes name must be a DNS label (lowercase letters, digits, '-', starting with a letter, at most 63 characters).");
            }
            if (service.Name is ProductionComponent or ObservabilityObjects.Folder or TrafficObjects.Folder or HelmChartGenerator.Folder)
            {
                throw new ManifestGenerationException($"Resource '{service.Name}' has the name of the output folder '{service.Name}'.");
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
    private static partial Regex Rfc1035Label(); // a Service name: it starts with a letter

    [GeneratedRegex("^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex PortName();

    [GeneratedRegex("^[-._a-zA-Z0-9]{1,253}$")]
    private static partial Regex ConfigMapKey();
}
