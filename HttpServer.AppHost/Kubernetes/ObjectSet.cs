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
