using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The production objects each service gets, written once for all of them and filled from the model: the settings
/// ConfigMap mounted at /config, a PodDisruptionBudget, an autoscaler, a NetworkPolicy admitting the services that
/// call it, and an Ingress when it is external. Service-agnostic pod settings are the hand-kept component.
/// </summary>
internal static partial class ProductionObjectFactory
{
    public const string SettingsVolume = "settings";

    public static string SettingsName(ServiceDescription service) => $"{service.Name}-settings";

    /// <summary>
    /// The live settings: each of <see cref="ProductionOptions.LiveSettingDefaults"/>, the model's value where it sets one.
    /// A fixed name (no content hash): an edit reaches the running pods. Not the release (VERSION): it is in the pod template.
    /// </summary>
    public static V1ConfigMap Settings(ServiceDescription service, ProductionOptions options)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
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

    private static V1ObjectMeta Metadata(string name, ServiceDescription service) => new() { Name = name, Labels = KubernetesLabels.All(service) };

    private static V1LabelSelector Selector(ServiceDescription service) => new() { MatchLabels = KubernetesLabels.Selector(service) };

    private static V1NetworkPolicyPeer PodsOf(ServiceDescription service) => new() { PodSelector = Selector(service) };

    private static V1NetworkPolicyPeer NamespaceNamed(string name) => new() { NamespaceSelector = Labels("kubernetes.io/metadata.name", name) };

    private static V1LabelSelector Labels(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };
}
