namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The subset of kustomize's <c>Kustomization</c> the generator writes (KubernetesClient has no model for it);
/// serialized by the same KubernetesYaml serializer as the Kubernetes objects (camelCase, nulls omitted).
/// </summary>
public sealed class Kustomization
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";
    public string Kind { get; init; } = "Kustomization";
    public IList<string>? Resources { get; init; }
    public IList<string>? Components { get; init; }
    public IList<ConfigMapGeneratorEntry>? ConfigMapGenerator { get; init; }
}

/// <summary>A <c>configMapGenerator</c> entry: kustomize adds a content hash to the name and rewrites references.</summary>
public sealed class ConfigMapGeneratorEntry
{
    public required string Name { get; init; }
    public IList<string>? Literals { get; init; }
}
