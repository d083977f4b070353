namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// What the manifests step read (settings, services) and the object set it wrote, kept for deploy and destroy, which run
/// after it in the same pipeline: they use what was written instead of reading the model and building it again.
/// </summary>
internal sealed class PublishedModel
{
    private (KubernetesSettings Settings, IReadOnlyList<ServiceDescription> Services, ObjectSet Set)? _published;

    public (KubernetesSettings Settings, IReadOnlyList<ServiceDescription> Services, ObjectSet Set) Published =>
        _published ?? throw new InvalidOperationException("the kubernetes-manifests step has not run in this pipeline");

    public void Record(KubernetesSettings settings, IReadOnlyList<ServiceDescription> services, ObjectSet set) => _published = (settings, services, set);
}
