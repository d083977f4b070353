using System.Text.RegularExpressions;
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
public sealed partial record ObservabilityComponent(
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

    /// <summary>
    /// The components switched on (their line uncommented) in <paramref name="folder"/>/kustomization.yaml, each one of
    /// <paramref name="known"/>; none when there is no such file. A Helm deploy passes them as values.
    /// </summary>
    public static IReadOnlyList<string> SwitchedOn(string folder, IReadOnlyCollection<string> known)
    {
        var file = Path.Combine(folder, "kustomization.yaml");
        var listed = !File.Exists(file) ? [] : Parse<ComponentKustomization>("kustomization.yaml", File.ReadAllText(file)).Components ?? [];
        return [.. listed.Select(c => c.Trim().TrimStart('.', '/').TrimEnd('/')).Select(c => known.Contains(c) ? c
            : throw new ManifestGenerationException($"observability/kustomization.yaml switches on '{c}', which is not a component folder there")).Order(StringComparer.Ordinal)];
    }

    /// <summary>True when a patch's target selector (<c>key=value[,key=value]</c>, checked on reading) selects these labels.</summary>
    public static bool Selects(string selector, IDictionary<string, string> labels) => selector.Split(',').All(term =>
        term.Split('=') is [var key, var value] && labels.TryGetValue(key, out var actual) && actual == value);

    private static ObservabilityComponent Read(string directory)
    {
        var name = Path.GetFileName(directory);
        if (!ValueName().IsMatch(name))
        {
            throw Unsupported(name, "this folder name as a value name (letters and digits, starting with a letter)");
        }
        var kustomization = Parse<ComponentKustomization>(name, File.ReadAllText(Path.Combine(directory, "kustomization.yaml")));
        if (kustomization.Components is { Count: > 0 })
        {
            throw Unsupported(name, "nested components");
        }
        var environment = new List<(string, V1EnvVar)>();
        var egress = new List<(string, V1NetworkPolicyEgressRule)>();
        foreach (var patch in kustomization.Patches ?? [])
        {
            if (patch.Target is not { LabelSelector: var selector } || !EqualityTerms().IsMatch(selector))
            {
                throw Unsupported(name, $"the patch {patch.Path}'s target: it needs a labelSelector of key=value terms");
            }
            var text = File.ReadAllText(Path.Combine(directory, Checked(directory, patch.Path)));
            switch (patch.Target.Kind)
            {
                case "Deployment":
                    environment.AddRange(Additions<V1EnvVar>(name, text, EnvironmentPath).Select(v => (selector, v)));
                    break;
                case "NetworkPolicy":
                    egress.AddRange(Additions<V1NetworkPolicyEgressRule>(name, text, EgressPath).Select(r => (selector, r)));
                    break;
                default:
                    throw Unsupported(name, $"a patch of {patch.Target.Kind}");
            }
        }
        var configMaps = (kustomization.ConfigMapGenerator ?? []).Select(g => g.Options?.DisableNameSuffixHash == true
            ? new GeneratedConfigMap(g.Name, g.Files ?? [], g.Options.Labels ?? [])
            : throw Unsupported(name, $"ConfigMap {g.Name} with a hash suffix")).ToList();
        var resources = kustomization.Resources ?? [];
        return new ObservabilityComponent(name, directory, [.. resources.Select(r => Checked(directory, r))],
            [.. resources.Concat(configMaps.SelectMany(c => c.Files)).Select(f => Checked(directory, f))], environment, egress, configMaps);
    }

    private static List<T> Additions<T>(string component, string text, string path)
    {
        // The operations first, so that an unsupported one is named rather than failing on its value's type.
        foreach (var operation in Parse<List<JsonPatchAddOperation<object>>>(component, text))
        {
            if (operation is not { Op: "add" } || operation.Path != path)
            {
                throw Unsupported(component, $"the JSON patch operation {operation.Op} {operation.Path}");
            }
        }
        return [.. Parse<List<JsonPatchAddOperation<T>>>(component, text).Select(o => o.Value)];
    }

    private static T Parse<T>(string component, string yaml)
    {
        try
        {
            return KubernetesYaml.Deserialize<T>(yaml, strict: true);
        }
        catch (YamlException ex)
        {
            throw new ManifestGenerationException($"observability/{component}: the Helm chart cannot express this ({ex.Message})");
        }
    }

    /// <summary>A file of the component's own folder, by its relative name (what the chart copies under files/).</summary>
    private static string Checked(string directory, string file) =>
        file.Length > 0 && !Path.IsPathRooted(file) && !file.Contains("..", StringComparison.Ordinal) && File.Exists(Path.Combine(directory, file))
            ? file
            : throw new ManifestGenerationException($"observability/{Path.GetFileName(directory)}: '{file}' is not a file of the component");

    private static ManifestGenerationException Unsupported(string component, string what) =>
        new($"observability/{component}: the Helm chart cannot express {what}; keep the component to resources, " +
            $"JSON patches that add to {EnvironmentPath} or {EgressPath}, and ConfigMap generators without a hash suffix");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex ValueName();

    [GeneratedRegex("^[^=,!()]+=[^=,!()]+(,[^=,!()]+=[^=,!()]+)*$")]
    private static partial Regex EqualityTerms();
}
