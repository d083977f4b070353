using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The base objects, like aspirate's: one container with the service's image, ports and environment, and a
/// ClusterIP Service. Everything production needs on top (probes, resources, security, replicas) lives in
/// the production layer (ProductionObjectFactory), so the base stays aspirate's.
/// </summary>
internal static class KubernetesObjectFactory
{
    /// <summary>
    /// The resource's environment: kustomize generates it with a content hash in its name, Helm hashes it into the pod
    /// template; a change rolls the pods either way. VERSION is the pod template's; the live settings are the mounted
    /// ConfigMap's: one place for each value.
    /// </summary>
    public static V1ConfigMap Environment(ServiceDescription service) => new()
    {
        ApiVersion = "v1",
        Kind = V1ConfigMap.KubeKind,
        Metadata = new V1ObjectMeta { Name = $"{service.Name}-env", Labels = KubernetesLabels.All(service) },
        Data = new SortedDictionary<string, string>(service.Environment.Where(e => e.Key != "VERSION" && !ProductionObjectFactory.LiveSettingDefaults.ContainsKey(e.Key))
            .ToDictionary(), StringComparer.Ordinal),
    };

    public static V1Deployment Deployment(ServiceDescription service)
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
                                Ports = [.. service.ContainerPorts.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.ContainerPort, Protocol = "TCP" })],
                                // The release belongs to the pod template, like the image tag: a rollback brings the old one back.
                                Env = [new V1EnvVar { Name = "VERSION", Value = service.Version }],
                                EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = Environment(service).Metadata.Name } }],
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
