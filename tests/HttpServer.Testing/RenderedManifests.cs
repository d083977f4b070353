using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace HttpServer.Testing;

/// <summary>
/// The objects <c>kubectl kustomize</c> renders from a kustomization (aspirate-output), loaded with KubernetesClient's
/// strict loader (unknown fields and wrong types fail): what a cluster would be given.
/// </summary>
public sealed partial class RenderedManifests(IReadOnlyList<object> objects, string yaml)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public string Yaml { get; } = yaml;

    public IEnumerable<V1Deployment> Deployments => Objects.OfType<V1Deployment>();

    public IEnumerable<CustomResource> CustomResources(string kind) => Objects.OfType<CustomResource>().Where(o => o.Kind == kind);

    /// <summary>Renders <paramref name="directory"/> with the real kubectl that tests/setup/kubernetes.sh installs.</summary>
    public static async Task<RenderedManifests> RenderAsync(string directory)
    {
        var rendered = await ProcessRunner.RunAsync(
            RepositoryPaths.Kubectl, ["kustomize", directory], TimeSpan.FromMinutes(1));
        rendered.EnsureSuccess("kubectl kustomize");
        return Parse(rendered.StandardOutput);
    }

    /// <summary>
    /// Loads every object; documents with only comments (what `helm template` prints for a template whose condition is
    /// off, and which kubectl skips) are left out, because KubernetesClient's loader fails on them.
    /// </summary>
    public static RenderedManifests Parse(string yaml) => new(KubernetesYaml.LoadAllFromString(
        string.Join("\n---\n", DocumentSeparator().Split(yaml).Where(d => d.Split('\n').Any(l => l.Trim() is { Length: > 0 } t && !t.StartsWith('#')))),
        new Dictionary<string, Type>(CustomResource.Kinds), strict: true), yaml);

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    public V1ConfigMap ConfigMap(string name, string? @namespace) =>
        Objects.OfType<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name && SameNamespace(c.Metadata, @namespace))
        ?? throw new InvalidOperationException($"The manifests reference ConfigMap {name}, but do not render it");

    public V1Secret Secret(string name, string? @namespace) =>
        Objects.OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name && SameNamespace(s.Metadata, @namespace))
        ?? throw new InvalidOperationException($"The manifests reference Secret {name}, but do not render it");

    /// <summary>The Deployments (and their container) that run the given image repository, in rendered order.</summary>
    public IEnumerable<(V1Deployment Deployment, V1Container Container)> DeploymentsRunning(string imageRepository) =>
        from deployment in Deployments
        from container in deployment.Spec.Template.Spec.Containers
        where ImageRepository(container.Image) == imageRepository
        select (deployment, container);

    public static string ImageRepository(string image)
    {
        var name = image.Split('@')[0];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > lastSlash ? name[..colon] : name;
    }

    private static bool SameNamespace(V1ObjectMeta metadata, string? @namespace) =>
        (metadata.NamespaceProperty ?? "default") == (@namespace ?? "default");
}
