using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The hand-kept optional components of aspirate-output/observability/, read so that the Helm chart can offer each one
/// behind a value (<c>observability.&lt;name&gt;.enabled</c>) from the same files: the objects a component adds, the
/// environment it appends to the app's containers, the egress it appends to their NetworkPolicies, and the ConfigMaps
/// it generates. A kustomize feature the chart cannot express fails the generation rather than being dropped.
/// </summary>
public sealed record ObservabilityComponent(
    string Name,
    string Directory,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Files,
    IReadOnlyList<(string Selector, V1EnvVar Variable)> Environment,
    IReadOnlyList<(string Selector, V1NetworkPolicyEgressRule Rule)> Egress,
    IReadOnlyList<GeneratedConfigMap> ConfigMaps)
{
    private const string EnvironmentPath = "/spec/template/spec/containers/0/env/-";
    private const string EgressPath = "/spec/egress/-";

    /// <summary>Every component folder under <paramref name="folder"/> (none when it does not exist), by name.</summary>
    public static IReadOnlyList<ObservabilityComponent> ReadAll(string folder) => !System.IO.Directory.Exists(folder) ? [] :
        [.. System.IO.Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
            .Order(StringComparer.Ordinal).Select(Read)];

    private static ObservabilityComponent Read(string directory)
    {
        var name = Path.GetFileName(directory);
        var kustomization = Parse<ComponentKustomization>(name, File.ReadAllText(Path.Combine(directory, "kustomization.yaml")));
        if (kustomization.Components is { Count: > 0 } || kustomization.PatchesStrategicMerge is { Count: > 0 })
        {
            throw Unsupported(name, "nested components or strategic-merge patches");
        }
        var environment = new List<(string, V1EnvVar)>();
        var egress = new List<(string, V1NetworkPolicyEgressRule)>();
        foreach (var patch in kustomization.Patches ?? [])
        {
            var text = File.ReadAllText(Path.Combine(directory, patch.Path));
            switch (patch.Target?.Kind)
            {
                case "Deployment":
                    environment.AddRange(Additions<V1EnvVar>(name, text, EnvironmentPath).Select(v => (patch.Target.LabelSelector, v)));
                    break;
                case "NetworkPolicy":
                    egress.AddRange(Additions<V1NetworkPolicyEgressRule>(name, text, EgressPath).Select(r => (patch.Target.LabelSelector, r)));
                    break;
                default:
                    throw Unsupported(name, $"a patch of {patch.Target?.Kind ?? "an untargeted object"}");
            }
        }
        var configMaps = (kustomization.ConfigMapGenerator ?? []).Select(g => g.Options?.DisableNameSuffixHash == true
            ? new GeneratedConfigMap(g.Name, g.Files ?? [], g.Options.Labels ?? [])
            : throw Unsupported(name, $"ConfigMap {g.Name} with a hash suffix")).ToList();
        var resources = kustomization.Resources ?? [];
        return new ObservabilityComponent(name, directory, [.. resources.Select(r => Checked(directory, r))],
            [.. resources.Concat(configMaps.SelectMany(c => c.Files)).Select(f => Checked(directory, f))], environment, egress, configMaps);
    }

    /// <summary>
    /// The components switched on (their line uncommented) in <paramref name="folder"/>/kustomization.yaml, by name; none
    /// when there is no such file. A Helm deploy turns each into <c>observability.&lt;name&gt;.enabled=true</c>.
    /// </summary>
    public static IReadOnlyList<string> SwitchedOn(string folder)
    {
        var file = Path.Combine(folder, "kustomization.yaml");
        return !File.Exists(file) ? [] :
            [.. (Parse<ComponentKustomization>(Path.GetFileName(folder), File.ReadAllText(file)).Components ?? []).Order(StringComparer.Ordinal)];
    }

    /// <summary>True when a patch's target selector (<c>key=value[,key=value]</c>) selects an object with these labels.</summary>
    public static bool Selects(string selector, IDictionary<string, string> labels) => selector.Split(',').All(term =>
        term.Split('=') is [var key, var value] && labels.TryGetValue(key.Trim(), out var actual) && actual == value.Trim());

    private static List<T> Additions<T>(string component, string text, string path)
    {
        // The operations first, so that an unsupported one is named rather than failing on its value's type.
        foreach (var operation in Parse<List<AddOperation<object>>>(component, text))
        {
            if (operation is not { Op: "add" } || operation.Path != path)
            {
                throw Unsupported(component, $"the JSON patch operation {operation.Op} {operation.Path}");
            }
        }
        return [.. Parse<List<AddOperation<T>>>(component, text).Select(o => o.Value)];
    }

    private static T Parse<T>(string component, string yaml)
    {
        try
        {
            return KubernetesYaml.Deserialize<T>(yaml);
        }
        catch (YamlException ex)
        {
            throw new ManifestGenerationException($"observability/{component}: {ex.Message}");
        }
    }

    /// <summary>A file of the component's own folder, by its relative name (what the chart copies under files/).</summary>
    private static string Checked(string directory, string file) =>
        !Path.IsPathRooted(file) && !file.Contains("..", StringComparison.Ordinal) && File.Exists(Path.Combine(directory, file))
            ? file
            : throw new ManifestGenerationException($"observability/{Path.GetFileName(directory)}: '{file}' is not a file of the component");

    private static ManifestGenerationException Unsupported(string component, string what) =>
        new($"observability/{component}: the Helm chart cannot express {what}; keep the component to resources, " +
            $"JSON patches that add to {EnvironmentPath} or {EgressPath}, and ConfigMap generators without a hash suffix");

    private sealed class ComponentKustomization
    {
        public List<string>? Resources { get; set; }
        public List<string>? Components { get; set; }
        public List<string>? PatchesStrategicMerge { get; set; }
        public List<ComponentPatch>? Patches { get; set; }
        public List<ConfigMapGeneratorEntry>? ConfigMapGenerator { get; set; }
    }

    private sealed class ComponentPatch
    {
        public string Path { get; set; } = "";
        public PatchTarget? Target { get; set; }
    }

    private sealed class PatchTarget
    {
        public string Kind { get; set; } = "";
        public string LabelSelector { get; set; } = "";
    }

    private sealed class ConfigMapGeneratorEntry
    {
        public string Name { get; set; } = "";
        public List<string>? Files { get; set; }
        public GeneratorOptions? Options { get; set; }
    }

    private sealed class GeneratorOptions
    {
        public bool DisableNameSuffixHash { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
    }

    private sealed class AddOperation<T>
    {
        public string Op { get; set; } = "";
        public string Path { get; set; } = "";
        public T Value { get; set; } = default!;
    }
}

/// <summary>A ConfigMap a component generates from files (each file a key), under a fixed name.</summary>
public sealed record GeneratedConfigMap(string Name, IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Labels);
