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
    public IList<ConfigMapGeneratorEntry>? ConfigMapGenerator { get; init; }
    public GeneratorOptions? GeneratorOptions { get; init; }
    public IList<KustomizePatch>? Patches { get; init; }

    /// <summary>A reusable layer: the resources it adds and the patches it applies to what it is included with.</summary>
    public static Kustomization Component(IList<string> resources, IList<KustomizePatch> patches) => new()
    {
        ApiVersion = "kustomize.config.k8s.io/v1alpha1",
        Kind = "Component",
        Resources = resources,
        Patches = patches.Count == 0 ? null : patches,
    };
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

/// <summary>A <c>patches</c> entry: a patch file, applied to the object it names (or that the target selects).</summary>
public sealed class KustomizePatch
{
    public required string Path { get; init; }
    public PatchTarget? Target { get; init; }
}

public sealed class PatchTarget
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
}

/// <summary>One JSON patch (RFC 6902) operation: what appends to a list whose items a strategic merge cannot key.</summary>
public sealed class JsonPatchOperation
{
    public string Op { get; init; } = "add";
    public required string Path { get; init; }
    public required object Value { get; init; }
}
