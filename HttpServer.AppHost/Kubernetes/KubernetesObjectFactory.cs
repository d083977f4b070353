using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The base objects, like aspirate's: one container with the service's image, ports and environment, and a
/// ClusterIP Service. Everything production needs on top (probes, resources, security, replicas) lives in
/// the production layer (ProductionObjectFactory), so the base stays aspirate's.
/// </summary>
internal static class KubernetesObjectFactory
{
    public static V1Deployment Deployment(ServiceDescription service, string environmentConfigMap)
    {
        var labels = KubernetesLabels.All(service);
        return new V1Deployment
        {
            ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
            Kind = V1Deployment.KubeKind,
            Metadata = new V1ObjectMeta { Name = service.Name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(service) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = service.Name,
                                Image = service.Image.ToString(),
                                ImagePullPolicy = "IfNotPresent",
                                Ports = [.. service.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.ContainerPort, Protocol = "TCP" })],
                                // The release belongs to the pod template, like the image tag: a rollback brings the old one back.
                                Env = [new V1EnvVar { Name = "VERSION", Value = service.Version }],
                                EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = environmentConfigMap } }],
                            },
                        ],
                    },
                },
            },
        };
    }

    public static V1Service Service(ServiceDescription service) => new()
    {
        ApiVersion = V1Service.KubeApiVersion,
        Kind = V1Service.KubeKind,
        Metadata = new V1ObjectMeta { Name = service.Name, Labels = KubernetesLabels.All(service) },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = KubernetesLabels.Selector(service),
            Ports = [.. service.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
        },
    };
}
