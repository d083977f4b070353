using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// An optional component: the objects it adds, what it appends to each app service's container environment and
/// NetworkPolicy egress, and the production objects it replaces (<see cref="Removes"/>, kind and name). Both writers
/// take it as it is (kustomize as a Component with patches under <paramref name="Folder"/>, Helm in the objects).
/// </summary>
public sealed record ObservabilityComponent(string Name, IReadOnlyList<object> Resources, IReadOnlyList<V1EnvVar> AppEnvironment,
    IReadOnlyList<V1NetworkPolicyEgressRule> AppEgress, string Folder = ManifestGenerator.ObservabilityFolder)
{
    public IReadOnlyList<(string Kind, string Name)> Removes { get; init; } = [];
}

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
    public static IReadOnlyList<ObservabilityComponent> Build(ObservabilitySettings settings, IReadOnlyList<ServiceDescription> services, string assets)
    {
        var components = new List<ObservabilityComponent>();
        if (settings.Otlp)
        {
            components.Add(OtlpComponent.Build(services));
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

    /// <summary>Scrapes each app pod through its management port (http when a service has none), ready or not (a pod that is not ready is the one whose metrics matter).</summary>
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
                    ["port"] = services.All(s => s.ManagementPort is not null) ? EndpointNames.Management : EndpointNames.Http, ["path"] = "/metrics", ["interval"] = "15s", ["scrapeTimeout"] = "5s",
                    // `service` (frontend, backend) is what the dashboard and the alerts group by.
                    // `version` (the pod's release) splits them again: a canary is judged against the stable version.
                    ["relabelings"] = new[]
                    {
                        new Dictionary<string, object> { ["sourceLabels"] = new[] { "__meta_kubernetes_pod_label_app_kubernetes_io_instance" }, ["targetLabel"] = "service" },
                        new Dictionary<string, object> { ["sourceLabels"] = new[] { "__meta_kubernetes_pod_label_app_kubernetes_io_version" }, ["targetLabel"] = "version" },
                    },
                },
            },
        },
    };

    internal static V1ObjectMeta Metadata(string name, string component = "observability") => new()
    {
        Name = name,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesLabels.Name] = name,
            [KubernetesLabels.Instance] = name,
            [KubernetesLabels.Component] = component,
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
