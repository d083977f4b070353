using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The production objects each service gets, written once for all of them and filled from the model: the settings
/// ConfigMap mounted at /config, a PodDisruptionBudget, an autoscaler, a NetworkPolicy admitting the services that
/// call it, and an Ingress when it is external. Service-agnostic pod settings are the hand-kept component.
/// </summary>
internal static class ProductionObjectFactory
{
    public const string SettingsVolume = "settings";

    public static string SettingsName(ServiceDescription service) => $"{service.Name}-settings";

    /// <summary>
    /// The live settings: VERSION (the release) and each of <see cref="ProductionOptions.LiveSettingDefaults"/>, the
    /// model's value where it sets one. A fixed name (no content hash): an edit reaches the running pods.
    /// </summary>
    public static V1ConfigMap Settings(ServiceDescription service, ProductionOptions options)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["VERSION"] = service.Version };
        foreach (var (key, fallback) in options.LiveSettingDefaults)
        {
            data[key] = service.Environment.TryGetValue(key, out var value) ? value : fallback;
        }
        return new V1ConfigMap
        {
            ApiVersion = V1ConfigMap.KubeApiVersion,
            Kind = V1ConfigMap.KubeKind,
            Metadata = Metadata(SettingsName(service), service),
            Data = data,
        };
    }

    /// <summary>The patch that mounts <see cref="Settings"/>: the hand-kept component mounts the volume by this name.</summary>
    public static V1Deployment SettingsVolumePatch(ServiceDescription service) => new()
    {
        ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
        Kind = V1Deployment.KubeKind,
        Metadata = new V1ObjectMeta { Name = service.Name },
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers = null,
                    Volumes = [new V1Volume { Name = SettingsVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = SettingsName(service) } }],
                },
            },
        },
    };

    /// <summary>At most one pod down at a time in voluntary disruptions (node drains, upgrades).</summary>
    public static V1PodDisruptionBudget DisruptionBudget(ServiceDescription service) => new()
    {
        ApiVersion = $"{V1PodDisruptionBudget.KubeGroup}/{V1PodDisruptionBudget.KubeApiVersion}",
        Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = Metadata(service.Name, service),
        Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = Selector(service) },
    };

    /// <summary>Scaled on CPU against the request; a slow scale-down avoids flapping.</summary>
    public static V2HorizontalPodAutoscaler Autoscaler(ServiceDescription service, ProductionOptions options) => new()
    {
        ApiVersion = $"{V2HorizontalPodAutoscaler.KubeGroup}/{V2HorizontalPodAutoscaler.KubeApiVersion}",
        Kind = V2HorizontalPodAutoscaler.KubeKind,
        Metadata = Metadata(service.Name, service),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Name = service.Name },
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = options.TargetCpuUtilization },
                    },
                },
            ],
            Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 300 } },
        },
    };

    /// <summary>
    /// Ingress on the http port from the services that call this one (from anywhere when it is external) and from
    /// the monitoring namespace; egress to the services it calls and to DNS. Nothing else.
    /// </summary>
    public static V1NetworkPolicy NetworkPolicy(ServiceDescription service, IReadOnlyList<ServiceDescription> all, ProductionOptions options)
    {
        var http = new V1NetworkPolicyPort { Port = "http", Protocol = "TCP" };
        var callers = all.Where(s => s.References.Contains(service.Name, StringComparer.Ordinal)).ToList();
        var ingress = new List<V1NetworkPolicyIngressRule>();
        if (service.IsExternal)
        {
            ingress.Add(new V1NetworkPolicyIngressRule { Ports = [http] });
        }
        else
        {
            ingress.AddRange(callers.Select(c => new V1NetworkPolicyIngressRule { FromProperty = [PodsOf(c)], Ports = [http] }));
            ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [NamespaceNamed(options.MonitoringNamespace)], Ports = [http] });
        }
        var egress = all.Where(s => service.References.Contains(s.Name, StringComparer.Ordinal))
            .Select(s => new V1NetworkPolicyEgressRule { To = [PodsOf(s)], Ports = [http] }).ToList();
        egress.Add(new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer
            {
                NamespaceSelector = Labels("kubernetes.io/metadata.name", "kube-system"),
                PodSelector = Labels("k8s-app", "kube-dns"),
            }],
            Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
        });
        return new V1NetworkPolicy
        {
            ApiVersion = $"{V1NetworkPolicy.KubeGroup}/{V1NetworkPolicy.KubeApiVersion}",
            Kind = V1NetworkPolicy.KubeKind,
            Metadata = Metadata(service.Name, service),
            Spec = new V1NetworkPolicySpec { PodSelector = Selector(service), PolicyTypes = ["Ingress", "Egress"], Ingress = ingress, Egress = egress },
        };
    }

    /// <summary>HTTPS at the Ingress, plain HTTP to the Service's http port; the certificate from cert-manager or by hand.</summary>
    public static V1Ingress Ingress(ServiceDescription service, ProductionOptions options)
    {
        var metadata = Metadata(service.Name, service);
        if (!string.IsNullOrEmpty(options.CertManagerClusterIssuer))
        {
            metadata.Annotations = new Dictionary<string, string> { ["cert-manager.io/cluster-issuer"] = options.CertManagerClusterIssuer };
        }
        return new V1Ingress
        {
            ApiVersion = $"{V1Ingress.KubeGroup}/{V1Ingress.KubeApiVersion}",
            Kind = V1Ingress.KubeKind,
            Metadata = metadata,
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
                                        Service = new V1IngressServiceBackend { Name = service.Name, Port = new V1ServiceBackendPort { Name = "http" } },
                                    },
                                },
                            ],
                        },
                    },
                ],
            },
        };
    }

    private static V1ObjectMeta Metadata(string name, ServiceDescription service) => new() { Name = name, Labels = KubernetesLabels.All(service) };

    private static V1LabelSelector Selector(ServiceDescription service) => new() { MatchLabels = KubernetesLabels.Selector(service) };

    private static V1NetworkPolicyPeer PodsOf(ServiceDescription service) => new() { PodSelector = Selector(service) };

    private static V1NetworkPolicyPeer NamespaceNamed(string name) => new() { NamespaceSelector = Labels("kubernetes.io/metadata.name", name) };

    private static V1LabelSelector Labels(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };
}
