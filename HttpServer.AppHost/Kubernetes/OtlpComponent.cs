using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>The optional component <c>otlp</c>: the Aspire dashboard in the cluster, and every app pod exporting to it.</summary>
internal static class OtlpComponent
{
    public const string Name = "otlp";
    public const string Dashboard = "aspire-dashboard";
    private const int OtlpPort = 18889;

    /// <summary>The dashboard the AppHost runs locally: the version of the Aspire packages it is built with.</summary>
    public static string DashboardImage { get; } = "mcr.microsoft.com/dotnet/aspire-dashboard:" + typeof(DistributedApplication).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).Cast<System.Reflection.AssemblyInformationalVersionAttribute>()
        .Single().InformationalVersion.Split('+')[0];

    /// <summary>The standalone Aspire dashboard (traces, logs, metrics in memory) and every app pod exporting OTLP to it.</summary>
    public static OptionalComponent Build(IReadOnlyList<ServiceDescription> services)
    {
        var labels = ObservabilityObjects.Metadata(Dashboard).Labels;
        var selector = new Dictionary<string, string> { [KubernetesLabels.Name] = Dashboard, [KubernetesLabels.Instance] = Dashboard };
        var user = services[0].Settings.RunAsUser;
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = ObservabilityObjects.Metadata(Dashboard),
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
                                Resources = ProductionObjectFactory.Guaranteed("250m", "512Mi"),
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
            Metadata = ObservabilityObjects.Metadata(Dashboard),
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
            Metadata = ObservabilityObjects.Metadata(Dashboard),
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
        return new(ObservabilityObjects.Folder, Name, [deployment, service, policy], environment, [egress]);
    }

    private static V1EnvVar Field(string name, string path) => new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };
}
