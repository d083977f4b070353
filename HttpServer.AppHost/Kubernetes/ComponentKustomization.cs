namespace HttpServer.AppHost.Kubernetes;

// What the Helm chart can carry of an observability component's kustomization.yaml. Read strictly: a field not
// declared here (namePrefix, images, replacements, an inline patch, a target by name...) fails the generation
// instead of being left out of the chart.
#pragma warning disable CA1812 // Instantiated by the YAML deserializer.

internal sealed class ComponentKustomization
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public List<string>? Resources { get; set; }
    public List<string>? Components { get; set; }
    public List<ComponentPatch>? Patches { get; set; }
    public List<ComponentConfigMapGenerator>? ConfigMapGenerator { get; set; }
}

internal sealed class ComponentPatch
{
    public string Path { get; set; } = "";
    public ComponentPatchTarget? Target { get; set; }
}

internal sealed class ComponentPatchTarget
{
    public string Kind { get; set; } = "";
    public string LabelSelector { get; set; } = "";
}

internal sealed class ComponentConfigMapGenerator
{
    public string Name { get; set; } = "";
    public List<string>? Files { get; set; }
    public ComponentGeneratorOptions? Options { get; set; }
}

internal sealed class ComponentGeneratorOptions
{
    public bool DisableNameSuffixHash { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

internal sealed class JsonPatchAddOperation<T>
{
    public string Op { get; set; } = "";
    public string Path { get; set; } = "";
    public T Value { get; set; } = default!;
}
