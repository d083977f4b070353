using System.Reflection;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>The optional component <c>otlp</c>: the Aspire dashboard in the cluster, and every app pod exporting to it.</summary>
internal static class OtlpComponent
{
    public const string Name = "otlp";
    public const string Dashboard = "aspire-dashboard";
    private const int UiPort = 18888;
    public const int OtlpPort = 18889;

    /// <summary>The dashboard's pods.</summary>
    public static V1LabelSelector DashboardPods => new() { MatchLabels = new Dictionary<string, string> { [KubernetesLabels.Name] = Dashboard, [KubernetesLabels.Instance] = Dashboard } };

    /// <summary>The dashboard the AppHost runs locally: the version of the Aspire packages it is built with.</summary>
    public static string DashboardImage { get; } = "mcr.microsoft.com/dotnet/aspire-dashboard:"
        + typeof(DistributedApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>The standalone Aspire dashboard (traces, logs, metrics in memory) and every app pod exporting OTLP to it.</summary>
    public static OptionalComponent Build(IReadOnlyList<ServiceDescription> services)
    {
        var selector = DashboardPods.MatchLabels;
        (string Name, int Port)[] ports = [("http", UiPort), ("otlp-grpc", OtlpPort)];
        var deployment = new V1Deployment
        {
            Metadata = KubernetesLabels.Metadata(Dashboard),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1, // the telemetry lives in its memory: two would each see half of it
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = KubernetesLabels.Metadata(Dashboard).Labels },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Dashboard, Image = DashboardImage,
                                Env =
                                [
                                    new V1EnvVar { Name = "ASPNETCORE_URLS", Value = $"http://+:{UiPort}" },
                                    new V1EnvVar { Name = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", Value = $"http://+:{OtlpPort}" },
                                    // The UI asks for a browser token: the optional Secret's, or a random one logged at start.
                                    new V1EnvVar { Name = "Dashboard__Frontend__AuthMode", Value = "BrowserToken" },
                                    new V1EnvVar { Name = "Dashboard__Frontend__BrowserToken", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Dashboard, Key = "browser-token", Optional = true } } },
                                    // OTLP without a key: the NetworkPolicy admits only the app's pods to it.
                                    new V1EnvVar { Name = "Dashboard__Otlp__AuthMode", Value = "Unsecured" },
                                ],
                                Ports = KubernetesObjectFactory.ContainerPorts(ports),
                                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "otlp-grpc" }, PeriodSeconds = 10 },
                                Resources = ProductionObjectFactory.Guaranteed("250m", "512Mi"),
                            },
                        ],
                    }.Restricted(services[0].Settings.RunAsUser),
                },
            },
        }.Typed();
        // ClusterIP only: the UI is reached with `kubectl port-forward`.
        var service = KubernetesObjectFactory.Service(KubernetesLabels.Metadata(Dashboard), selector, ports);
        // OTLP from the app's pods only, nothing on the UI port (port-forward does not cross the pod network), no egress.
        var otlp = new V1NetworkPolicyPort { Port = OtlpPort, Protocol = "TCP" };
        var policy = KubernetesObjectFactory.NetworkPolicy(KubernetesLabels.Metadata(Dashboard), new V1LabelSelector { MatchLabels = selector },
            [new V1NetworkPolicyIngressRule { FromProperty = [.. services.Select(ProductionObjectFactory.PodsOf)], Ports = [otlp] }], egress: null);
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
            Ports = [otlp],
        };
        return new(ObservabilityObjects.Folder, Name, [deployment, service, policy], environment, [egress]);
    }

    private static V1EnvVar Field(string name, string path) => new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };
}
