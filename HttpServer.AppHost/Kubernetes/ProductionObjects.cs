using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The objects beside each service's Deployment: its NetworkPolicy (peers from the model), its Ingress, and what keeps it
/// available: its PodDisruptionBudget and its autoscaler.
/// </summary>
internal static partial class ProductionObjectFactory
{
    public const string IssuerAnnotation = "cert-manager.io/cluster-issuer";

    /// <summary>
    /// Ingress on the HTTP port from the services that call this one (from anywhere when it is external), and from
    /// the monitoring namespace on the management port (the HTTP port when there is none); egress to the services it calls and
    /// to DNS. Nothing else.
    /// </summary>
    public static V1NetworkPolicy NetworkPolicy(ServiceDescription service, IReadOnlyList<ServiceDescription> all)
    {
        var http = new V1NetworkPolicyPort { Port = service.HttpPortName, Protocol = "TCP" };
        var operations = new V1NetworkPolicyPort { Port = service.OperationsPortName, Protocol = "TCP" };
        var callers = service.CallersIn(all);
        List<V1NetworkPolicyIngressRule> ingress = service.IsExternal
            ? [new V1NetworkPolicyIngressRule { Ports = [http] }]
            : [.. callers.Select(c => new V1NetworkPolicyIngressRule { FromProperty = [PodsOf(c)], Ports = [http] })];
        if (!service.IsExternal || service.ManagementPort is not null)
        {
            ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = Namespace(service.Settings.MonitoringNamespace) }], Ports = [operations] });
        }
        var egress = all.Where(s => service.References.Contains(s.Name, StringComparer.Ordinal)).OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new V1NetworkPolicyEgressRule { To = [PodsOf(s)], Ports = [http] }).ToList();
        egress.Add(DnsEgress());
        return KubernetesObjectFactory.NetworkPolicy(KubernetesLabels.Metadata(service.Name, service), Selector(service), ingress, egress);
    }

    /// <summary>HTTPS at the Ingress, plain HTTP to the Service's HTTP port; the certificate from cert-manager or by hand.</summary>
    public static V1Ingress Ingress(ServiceDescription service)
    {
        var options = service.Settings;
        return new V1Ingress
        {
            Metadata = KubernetesLabels.Metadata(service.Name, service).IssuedBy(options.CertManagerClusterIssuer),
            Spec = new V1IngressSpec
            {
                IngressClassName = options.IngressClass,
                Tls = [new V1IngressTLS { Hosts = [options.IngressHost], SecretName = options.TlsSecret }],
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = options.IngressHost,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths =
                            [
                                new V1HTTPIngressPath
                                {
                                    Path = "/",
                                    PathType = "Prefix",
                                    Backend = new V1IngressBackend
                                    {
                                        Service = new V1IngressServiceBackend { Name = service.Name, Port = new V1ServiceBackendPort { Name = service.HttpPortName } },
                                    },
                                },
                            ],
                        },
                    },
                ],
            },
        }.Typed();
    }

    public static V1PodDisruptionBudget DisruptionBudget(ServiceDescription service) => new V1PodDisruptionBudget
    {
        Metadata = KubernetesLabels.Metadata(service.Name, service),
        Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = service.Settings.MaxUnavailable, Selector = Selector(service) },
    }.Typed();

    /// <summary>Scaled on CPU against the request; a slow scale-down avoids flapping.</summary>
    public static V2HorizontalPodAutoscaler Autoscaler(ServiceDescription service) => new V2HorizontalPodAutoscaler
    {
        Metadata = KubernetesLabels.Metadata(service.Name, service),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Name = service.Name },
            MinReplicas = service.Settings.MinReplicas,
            MaxReplicas = service.Settings.MaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = service.Settings.TargetCpuUtilization },
                    },
                },
            ],
            Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 300 } },
        },
    }.Typed();

    /// <summary>cert-manager's annotation, while an issuer is named: its ingress-shim or gateway-shim then issues the TLS Secret.</summary>
    internal static V1ObjectMeta IssuedBy(this V1ObjectMeta metadata, string issuer)
    {
        metadata.Annotations = string.IsNullOrEmpty(issuer) ? null : new Dictionary<string, string> { [IssuerAnnotation] = issuer };
        return metadata;
    }

    /// <summary>Name lookups: the cluster DNS (CoreDNS and kube-dns carry this label).</summary>
    internal static V1NetworkPolicyEgressRule DnsEgress() => new()
    {
        To = [new V1NetworkPolicyPeer { NamespaceSelector = Namespace("kube-system"), PodSelector = Labels("k8s-app", "kube-dns") }],
        Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
    };

    internal static V1NetworkPolicyPeer PodsOf(ServiceDescription service) => new() { PodSelector = Selector(service) };

    internal static V1LabelSelector Namespace(string name) => Labels("kubernetes.io/metadata.name", name);

    internal static V1LabelSelector Labels(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };
}
