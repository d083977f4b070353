using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// One service's objects, built once: the aspirate-style base (Deployment, Service, the ConfigMap with its environment),
/// the production patch on the Deployment, and the production objects (live settings, PDB, HPA, NetworkPolicy, Ingress).
/// </summary>
public sealed record ServiceObjects(ServiceDescription Service, V1Deployment Deployment, V1Service ServiceObject,
    V1ConfigMap Environment, V1Deployment DeploymentPatch, IReadOnlyList<object> Production);

/// <summary>
/// Everything the writers write, built from the model, the typed settings and the hand-kept assets; the kustomize writer
/// (<see cref="ManifestGenerator"/>) and the Helm writer (<see cref="HelmChartGenerator"/>) only format it.
/// </summary>
/// <param name="Services">Each service's objects.</param>
/// <param name="Components">Every optional component the model offers, each with its switch: kustomize writes them all and
/// lists the ones switched on, the chart holds them all behind values that default to the switches.</param>
public sealed record ObjectSet(IReadOnlyList<ServiceObjects> Services, IReadOnlyList<OptionalComponent> Components)
{
    /// <param name="services">The model's services, each with its settings.</param>
    /// <param name="observability">Which observability components are on.</param>
    /// <param name="assets">The hand-kept assets: HttpServer.AppHost/Deployment/.</param>
    public static ObjectSet Build(IReadOnlyList<ServiceDescription> services, ObservabilitySettings observability, string assets)
    {
        ManifestGenerator.Validate(services);
        var ordered = services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var monitoring = ObservabilityObjects.Build(observability, ordered, assets).ToList();
        // The traffic components first: the observability components' patches then reach the canary's Deployment too.
        return new ObjectSet(
            [.. ordered.Select(s => new ServiceObjects(s,
                KubernetesObjectFactory.Deployment(s),
                KubernetesObjectFactory.Service(s),
                KubernetesObjectFactory.Environment(s),
                ProductionObjectFactory.DeploymentPatch(s),
                [ProductionObjectFactory.ServiceAccount(s), ProductionObjectFactory.Settings(s), ProductionObjectFactory.DisruptionBudget(s), ProductionObjectFactory.Autoscaler(s),
                    ProductionObjectFactory.NetworkPolicy(s, ordered), .. s.IsExternal ? [ProductionObjectFactory.Ingress(s)] : Array.Empty<object>()]))],
            [.. TrafficObjects.Build(ordered, monitoring.Single(c => c.Name == OtlpComponent.Name)), .. monitoring]);
    }

    /// <summary>The components switched on, in the order kustomize applies them.</summary>
    public IEnumerable<OptionalComponent> Enabled => Components.Where(c => c.Enabled);

    /// <summary>The Deployments that run the app: each service's, and a canary's.</summary>
    public IEnumerable<string> AppDeployments => Services.Select(s => s.Service.Name)
        .Concat(Components.SelectMany(c => c.Resources).OfType<V1Deployment>().Where(d => d.Spec.Template.Spec.ServiceAccountName is not null).Select(d => d.Metadata.Name));

    public static string KindOf(object o) => o is CustomObject c ? c.Kind : ((IKubernetesObject)o).Kind;

    public static string NameOf(object o) => o is CustomObject c ? c.Metadata.Name : ((IMetadata<V1ObjectMeta>)o).Metadata.Name;
}

/// <summary>
/// An optional component (observability/ or traffic/): the objects it adds, what it appends to each app container's
/// environment and NetworkPolicy egress, and the production objects it replaces (<see cref="Removes"/>, kind and name).
/// Every component is written by both writers; <see cref="Enabled"/> (the AppHost's switch) decides whether kustomize
/// lists it and what the chart's <see cref="ValuesKey"/><c>.enabled</c> defaults to.
/// </summary>
public sealed record OptionalComponent(string Folder, string Name, IReadOnlyList<object> Resources,
    IReadOnlyList<V1EnvVar> AppEnvironment, IReadOnlyList<V1NetworkPolicyEgressRule> AppEgress)
{
    public bool Enabled { get; init; }

    public IReadOnlyList<(string Kind, string Name)> Removes { get; init; } = [];

    /// <summary>Resources that exist only while another component is on too (the mesh's Telemetry needs the otlp dashboard).</summary>
    public IReadOnlyDictionary<object, OptionalComponent> Needs { get; init; } = new Dictionary<object, OptionalComponent>();

    /// <summary>Components that must be on with this one, each with the reason: the AppHost's settings refuse the rest, the chart fails its render.</summary>
    public IReadOnlyList<(string Path, string Why)> Requires { get; init; } = [];

    public string Path => $"{Folder}/{Name}";

    /// <summary>Its switch in the chart's values: <c>observability.otlp</c>, <c>traffic.canary</c>.</summary>
    public string ValuesKey => $"{Folder}.{Name}";
}

/// <summary>An object of a CustomResourceDefinition (Prometheus Operator, Gateway API, Istio), which KubernetesClient has no model for.</summary>
public sealed class CustomObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; init; } = new();
    [JsonPropertyName("spec")] public object? Spec { get; init; }
}
