using System.Reflection;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The base objects, like aspirate's: one container with the service's image, ports and environment, and a
/// ClusterIP Service. Everything production needs on top (probes, resources, security, the autoscaler) lives in
/// the production layer (ProductionObjectFactory), so the base stays aspirate's. Also the shapes every writer's
/// objects share (a Service, a NetworkPolicy, apiVersion and kind), for the dashboard's objects too.
/// </summary>
internal static class KubernetesObjectFactory
{
    /// <summary>
    /// The resource's environment: kustomize generates it with a content hash in its name, Helm hashes it into the pod
    /// template; a change rolls the pods either way. VERSION is the pod template's; the live settings are the mounted
    /// ConfigMap's: one place for each value.
    /// </summary>
    public static V1ConfigMap Environment(ServiceDescription service) => new V1ConfigMap
    {
        Metadata = KubernetesLabels.Metadata($"{service.Name}-env", service),
        Data = new SortedDictionary<string, string>(service.Environment.Where(e => e.Key != "VERSION" && !ProductionObjectFactory.LiveSettingDefaults.ContainsKey(e.Key))
            .ToDictionary(), StringComparer.Ordinal),
    }.Typed();

    public static V1Deployment Deployment(ServiceDescription service) => new V1Deployment
    {
        Metadata = KubernetesLabels.Metadata(service.Name, service),
        Spec = new V1DeploymentSpec
        {
            // No replicas: the production layer's autoscaler owns the count (an applied one would fight it on every deploy).
            Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(service) },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = KubernetesLabels.All(service) },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = service.Name,
                            Image = service.Image.ToString(),
                            ImagePullPolicy = "IfNotPresent",
                            Ports = ContainerPorts(service.ContainerPorts),
                            // The release belongs to the pod template, like the image tag: a rollback brings the old one back.
                            Env = [new V1EnvVar { Name = "VERSION", Value = service.Version }],
                            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = Environment(service).Metadata.Name } }],
                        },
                    ],
                },
            },
        },
    }.Typed();

    public static V1Service Service(ServiceDescription service) =>
        Service(KubernetesLabels.Metadata(service.Name, service), KubernetesLabels.Selector(service), service.Ports.Select(p => (p.Name, p.Port)));

    /// <summary>A ClusterIP Service whose ports each target the container port of the same name.</summary>
    public static V1Service Service(V1ObjectMeta metadata, IDictionary<string, string> selector, IEnumerable<(string Name, int Port)> ports) =>
        new V1Service
        {
            Metadata = metadata,
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = selector,
                Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
            },
        }.Typed();

    public static List<V1ContainerPort> ContainerPorts(IEnumerable<(string Name, int Port)> ports) =>
        [.. ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })];

    /// <summary>A NetworkPolicy of both directions: what <paramref name="ingress"/> and <paramref name="egress"/> do not admit is denied.</summary>
    public static V1NetworkPolicy NetworkPolicy(V1ObjectMeta metadata, V1LabelSelector pods,
        IList<V1NetworkPolicyIngressRule> ingress, IList<V1NetworkPolicyEgressRule>? egress) => new V1NetworkPolicy
        {
            Metadata = metadata,
            Spec = new V1NetworkPolicySpec { PodSelector = pods, PolicyTypes = ["Ingress", "Egress"], Ingress = ingress, Egress = egress },
        }.Typed();

    /// <summary>apiVersion and kind, from the KubernetesClient model's own KubernetesEntity attribute.</summary>
    public static T Typed<T>(this T value) where T : IKubernetesObject
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()!;
        value.ApiVersion = entity.Group.Length > 0 ? $"{entity.Group}/{entity.ApiVersion}" : entity.ApiVersion;
        value.Kind = entity.Kind;
        return value;
    }
}
