using HttpServer.ServiceDefaults.Management;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The observability components, each switched by <see cref="ObservabilitySettings"/>, built from the model and from the
/// hand-kept assets of HttpServer.AppHost/Deployment/ (the Grafana dashboard, the alert rules). docs/observability.md.
/// </summary>
internal static class ObservabilityObjects
{
    public const string Folder = "observability";
    private const string MonitoringApi = "monitoring.coreos.com/v1"; // the Prometheus Operator's

    public static IEnumerable<OptionalComponent> Build(ObservabilitySettings settings, IReadOnlyList<ServiceDescription> services, string assets)
    {
        yield return OtlpComponent.Build(services) with { Enabled = settings.Otlp };
        yield return new(Folder, "metrics", [PodMonitor(services)], [], []) { Enabled = settings.Metrics };
        var rules = KubernetesYaml.Deserialize<object>(File.ReadAllText(Path.Combine(assets, "alerts", "httpserver-api.rules.yaml")));
        yield return new(Folder, "alerts",
            [new CustomObject { ApiVersion = MonitoringApi, Kind = "PrometheusRule", Metadata = KubernetesLabels.Metadata(KubernetesLabels.Application), Spec = Plain(rules) }], [], [])
        { Enabled = settings.Alerts };
        var metadata = KubernetesLabels.Metadata("httpserver-grafana-dashboard");
        metadata.Labels["grafana_dashboard"] = "1"; // what Grafana's dashboard sidecar watches for (kube-prometheus-stack's default)
        yield return new(Folder, "grafana", [new V1ConfigMap
        {
            Metadata = metadata,
            Data = new Dictionary<string, string> { ["httpserver-dashboard.json"] = File.ReadAllText(Path.Combine(assets, "grafana", "httpserver-dashboard.json")) },
        }.Typed()], [], [])
        { Enabled = settings.Grafana };
    }

    /// <summary>
    /// Scrapes each app pod through its management port (its HTTP port when it has none), ready or not (a pod that is not
    /// ready is the one whose metrics matter): one endpoint per port name, each keeping only its own services' pods.
    /// </summary>
    private static CustomObject PodMonitor(IReadOnlyList<ServiceDescription> services)
    {
        var byPort = services.GroupBy(s => s.OperationsPortName).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        return new()
        {
            ApiVersion = MonitoringApi,
            Kind = "PodMonitor",
            Metadata = KubernetesLabels.Metadata(KubernetesLabels.Application),
            Spec = new
            {
                selector = new { matchExpressions = new[] { new { key = KubernetesLabels.Instance, @operator = "In", values = services.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray() } } },
                podMetricsEndpoints = byPort.Select(group => new
                {
                    port = group.Key,
                    path = ManagementPaths.Metrics,
                    interval = "15s",
                    scrapeTimeout = "5s",
                    // `service` (frontend, backend) is what the dashboard and the alerts group by.
                    // `version` (the pod's release) splits them again: a canary is judged against the stable version.
                    relabelings = (object[])
                    [
                        .. byPort.Count > 1 ? [new { sourceLabels = InstanceLabel, regex = string.Join('|', group.Select(s => s.Name)), action = "keep" }] : Array.Empty<object>(),
                        new { sourceLabels = InstanceLabel, targetLabel = "service" },
                        new { sourceLabels = VersionLabel, targetLabel = "version" },
                    ],
                }).ToArray(),
            },
        };
    }

    private static readonly string[] InstanceLabel = ["__meta_kubernetes_pod_label_app_kubernetes_io_instance"];
    private static readonly string[] VersionLabel = ["__meta_kubernetes_pod_label_app_kubernetes_io_version"];

    /// <summary>YAML's untyped graph (maps keyed by object) as string-keyed maps, which both serializers take.</summary>
    private static object? Plain(object? node) => node switch
    {
        IDictionary<object, object> map => map.ToDictionary(e => (string)e.Key, e => Plain(e.Value)),
        IList<object> list => list.Select(Plain).ToList(),
        _ => node,
    };
}
