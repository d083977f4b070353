using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>What keeps each service available: its PodDisruptionBudget and its autoscaler, from its settings.</summary>
internal static partial class ProductionObjectFactory
{
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
}
