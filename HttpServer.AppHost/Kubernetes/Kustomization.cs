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
    public GeneratorOptions? GeneratorOptions { get; init; }
}

/// <summary><c>generatorOptions</c>: labels for the objects the generators make (KubernetesClient objects carry their own).</summary>
public sealed class GeneratorOptions
{
    public IDictionary<string, string>? Labels { get; init; }
}

/// <summary>A <c>configMapGenerator</c> entry: kustomize adds a content hash to the name and rewrites references.</summary>
public sealed class ConfigMapGeneratorEntry
{
    public required string Name { get; init; }
    public IList<string>? Literals { get; init; }
}

/// <summary>A kustomize Component (a reusable layer): resources it adds and patches it applies.</summary>
public sealed class KustomizeComponent
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1alpha1";
    public string Kind { get; init; } = "Component";
    public IList<string>? Resources { get; init; }
    public IList<KustomizePatch>? Patches { get; init; }
}

/// <summary>A <c>patches</c> entry: a patch file, applied to the object it names.</summary>
public sealed class KustomizePatch
{
    public required string Path { get; init; }
}
