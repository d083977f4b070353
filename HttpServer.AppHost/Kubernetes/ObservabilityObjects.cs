using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// An optional component: the objects it adds, and what it appends to each app service's container environment and
/// NetworkPolicy egress. Both writers take it as it is (kustomize as a Component with patches, Helm in the objects).
/// </summary>
public sealed record ObservabilityComponent(string Name, IReadOnlyList<object> Resources, IReadOnlyList<V1EnvVar> AppEnvironment,
    IReadOnlyList<V1NetworkPolicyEgressRule> AppEgress);

/// <summary>An object of a CustomResourceDefinition (the Prometheus Operator's), which KubernetesClient has no model for.</summary>
public sealed class CustomObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; init; } = new();
    [JsonPropertyName("spec")] public object? Spec { get; init; }
}

/// <summary>
/// The observability components switched on in <see cref="ObservabilitySettings"/>, built from the model and from the
/// hand-kept assets of HttpServer.AppHost/Deployment/ (the Grafana dashboard, the alert rules). docs/observability.md.
/// </summary>
internal static class ObservabilityObjects
{
    public const string Dashboard = "aspire-dashboard";
    private const int OtlpPort = 18889;

    /// <summary>The dashboard the AppHost runs locally: the version of the Aspire packages it is built with.</summary>
    public static string DashboardImage { get; } = "mcr.microsoft.com/dotnet/aspire-dashboard:" + typeof(DistributedApplication).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).Cast<System.Reflection.AssemblyInformationalVersionAttribute>()
        .Single().InformationalVersion.Split('+')[0];

    public static IReadOnlyList<ObservabilityComponent> Build(ObservabilitySettings settings, IReadOnlyList<ServiceDescription> services, string assets)
    {
        var components = new List<ObservabilityComponent>();
        if (settings.Otlp)
        {
            components.Add(Otlp(services));
        }
        if (settings.Metrics)
        {
            components.Add(new("metrics", [PodMonitor(services)], [], []));
        }
        if (settings.Alerts)
        {
            var rules = KubernetesYaml.Deserialize<object>(File.ReadAllText(Path.Combine(assets, "alerts", "httpserver-api.rules.yaml")));
            components.Add(new("alerts", [new CustomObject { ApiVersion = "monitoring.coreos.com/v1", Kind = "PrometheusRule", Metadata = Metadata(KubernetesLabels.Application), Spec = Plain(rules) }], [], []));
        }
        if (settings.Grafana)
        {
            var metadata = Metadata("httpserver-grafana-dashboard");
            metadata.Labels["grafana_dashboard"] = "1"; // what Grafana's dashboard sidecar watches for (kube-prometheus-stack's default)
            components.Add(new("grafana", [new V1ConfigMap
            {
                ApiVersion = "v1", Kind = V1ConfigMap.KubeKind, Metadata = metadata,
                Data = new Dictionary<string, string> { ["httpserver-dashboard.json"] = File.ReadAllText(Path.Combine(assets, "grafana", "httpserver-dashboard.json")) },
            }], [], []));
        }
        return components;
    }

    /// <summary>The standalone Aspire dashboard (traces, logs, metrics in memory) and every app pod exporting OTLP to it.</summary>
    private static ObservabilityComponent Otlp(IReadOnlyList<ServiceDescription> services)
    {
        var labels = Metadata(Dashboard).Labels;
        var selector = new Dictionary<string, string> { [KubernetesLabels.Name] = Dashboard, [KubernetesLabels.Instance] = Dashboard };
        var user = services[0].Settings.RunAsUser;
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = Metadata(Dashboard),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1, // the telemetry lives in its memory: two would each see half of it
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = PodSecurity.Pod(user),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Dashboard, Image = DashboardImage,
                                Env =
                                [
                                    new V1EnvVar { Name = "ASPNETCORE_URLS", Value = "http://+:18888" },
                                    new V1EnvVar { Name = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", Value = $"http://+:{OtlpPort}" },
                                    // The UI asks for a browser token: the optional Secret's, or a random one logged at start.
                                    new V1EnvVar { Name = "Dashboard__Frontend__AuthMode", Value = "BrowserToken" },
                                    new V1EnvVar { Name = "Dashboard__Frontend__BrowserToken", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Dashboard, Key = "browser-token", Optional = true } } },
                                    // OTLP without a key: the NetworkPolicy admits only the app's pods to it.
                                    new V1EnvVar { Name = "Dashboard__Otlp__AuthMode", Value = "Unsecured" },
                                ],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = 18888, Protocol = "TCP" }, new V1ContainerPort { Name = "otlp-grpc", ContainerPort = OtlpPort, Protocol = "TCP" }],
                                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "otlp-grpc" }, PeriodSeconds = 10 },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("512Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("512Mi") },
                                },
                                SecurityContext = PodSecurity.Container(user),
                                VolumeMounts = [PodSecurity.TmpMount],
                            },
                        ],
                        Volumes = [PodSecurity.TmpVolume],
                    },
                },
            },
        };
        // ClusterIP only: the UI is reached with `kubectl port-forward`.
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = V1Service.KubeKind,
            Metadata = Metadata(Dashboard),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = selector,
                Ports = [new V1ServicePort { Name = "http", Port = 18888, TargetPort = "http", Protocol = "TCP" }, new V1ServicePort { Name = "otlp-grpc", Port = OtlpPort, TargetPort = "otlp-grpc", Protocol = "TCP" }],
            },
        };
        // OTLP from the app's pods only, nothing on the UI port (port-forward does not cross the pod network), no egress.
        var policy = new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = V1NetworkPolicy.KubeKind,
            Metadata = Metadata(Dashboard),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = selector },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [.. services.Select(ProductionObjectFactory.PodsOf)], Ports = [new V1NetworkPolicyPort { Port = OtlpPort, Protocol = "TCP" }] }],
            },
        };
        // The SDK reads these itself; the downward API fills them per pod, and $(VAR) expands variables defined earlier in the list.
        IReadOnlyList<V1EnvVar> environment =
        [
            new V1EnvVar { Name = "OTEL_EXPORTER_OTLP_ENDPOINT", Value = $"http://{Dashboard}:{OtlpPort}" },
            new V1EnvVar { Name = "OTEL_EXPORTER_OTLP_PROTOCOL", Value = "grpc" },
            Field("K8S_POD_NAME", "metadata.name"),
            Field("K8S_NAMESPACE_NAME", "metadata.namespace"),
            Field("K8S_NODE_NAME", "spec.nodeName"),
            new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES", Value = "k8s.pod.name=$(K8S_POD_NAME),k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.node.name=$(K8S_NODE_NAME)" },
        ];
        var egress = new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = selector } }],
            Ports = [new V1NetworkPolicyPort { Port = OtlpPort, Protocol = "TCP" }],
        };
        return new("otlp", [deployment, service, policy], environment, [egress]);
    }

    /// <summary>Scrapes each app pod through its http port, ready or not (a pod that is not ready is the one whose metrics matter).</summary>
    private static CustomObject PodMonitor(IReadOnlyList<ServiceDescription> services) => new()
    {
        ApiVersion = "monitoring.coreos.com/v1",
        Kind = "PodMonitor",
        Metadata = Metadata(KubernetesLabels.Application),
        Spec = new Dictionary<string, object>
        {
            ["selector"] = new Dictionary<string, object>
            {
                ["matchExpressions"] = new[] { new Dictionary<string, object> { ["key"] = KubernetesLabels.Instance, ["operator"] = "In", ["values"] = services.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray() } },
            },
            ["podMetricsEndpoints"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["port"] = "http", ["path"] = "/metrics", ["interval"] = "15s", ["scrapeTimeout"] = "5s",
                    // `service` (frontend, backend) is what the dashboard and the alerts group by.
                    ["relabelings"] = new[] { new Dictionary<string, object> { ["sourceLabels"] = new[] { "__meta_kubernetes_pod_label_app_kubernetes_io_instance" }, ["targetLabel"] = "service" } },
                },
            },
        },
    };

    private static V1EnvVar Field(string name, string path) => new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    private static V1ObjectMeta Metadata(string name) => new()
    {
        Name = name,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesLabels.Name] = name,
            [KubernetesLabels.Instance] = name,
            [KubernetesLabels.Component] = "observability",
            [KubernetesLabels.PartOf] = KubernetesLabels.Application,
            [KubernetesLabels.ManagedBy] = KubernetesLabels.Manager,
        },
    };

    /// <summary>YAML's untyped graph (maps keyed by object) as string-keyed maps, which both serializers take.</summary>
    private static object? Plain(object? node) => node switch
    {
        IDictionary<object, object> map => map.ToDictionary(e => (string)e.Key, e => Plain(e.Value)),
        IList<object> list => list.Select(Plain).ToList(),
        _ => node,
    };
}
