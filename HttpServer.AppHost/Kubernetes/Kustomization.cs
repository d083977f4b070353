namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The subset of kustomize's <c>Kustomization</c> and <c>Component</c> the generator writes (KubernetesClient has no model
/// for them); serialized by the same KubernetesYaml serializer as the Kubernetes objects (camelCase, nulls omitted).
/// </summary>
public sealed class Kustomization
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";
    public string Kind { get; init; } = "Kustomization";
    public IList<string>? Resources { get; init; }
    public IList<string>? Components { get; init; }

    /// <summary><c>configMapGenerator</c> entries: kustomize adds a content hash to the name and rewrites references.</summary>
    public IList<object>? ConfigMapGenerator { get; init; }

    /// <summary><c>generatorOptions</c>: labels for the objects the generators make (KubernetesClient objects carry their own).</summary>
    public object? GeneratorOptions { get; init; }

    /// <summary><c>patches</c>: a patch file (<c>path</c>), applied to the object it names or to the one <c>target</c> selects.</summary>
    public IList<object>? Patches { get; init; }

    /// <summary>A reusable layer: the resources it adds and the patches it applies to what it is included with.</summary>
    public static Kustomization Component(IList<string> resources, IList<object> patches) => new()
    {
        ApiVersion = "kustomize.config.k8s.io/v1alpha1",
        Kind = "Component",
        Resources = resources,
        Patches = patches.Count == 0 ? null : patches,
    };
}
