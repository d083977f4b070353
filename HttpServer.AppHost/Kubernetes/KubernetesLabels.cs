using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Kubernetes' recommended labels (app.kubernetes.io/*) on every object, and the selector: only the labels that
/// never change between releases. A Deployment's selector is immutable, so a version in it would make the next
/// release's <c>kubectl apply</c> fail. The pods also carry their <see cref="Track"/>, which a canary's selectors use.
/// </summary>
public static class KubernetesLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Version = "app.kubernetes.io/version";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>
    /// The pod's track, <c>stable</c> or <c>canary</c> (as in the Kubernetes documentation's canary example; there is no
    /// recommended label for it): fixed for a Deployment's life, unlike the version, so a selector may hold it.
    /// </summary>
    public const string Track = "track";

    /// <summary>The application of the whole model (the AppHost's), in <c>part-of</c>.</summary>
    public const string Application = "httpserver";

    /// <summary>What applies the output: kubectl's kustomize (<c>kubectl apply -k</c>).</summary>
    public const string Manager = "kustomize";

    /// <summary>Selects the service's pods: the program (its image) and the instance (the resource).</summary>
    public static SortedDictionary<string, string> Selector(ServiceDescription service) => new(StringComparer.Ordinal)
    {
        [Name] = service.Image.Name,
        [Instance] = service.Name,
    };

    /// <summary>Every recommended label: the selector's plus component, part-of, version and managed-by.</summary>
    public static SortedDictionary<string, string> All(ServiceDescription service)
    {
        var labels = Selector(service);
        labels[Component] = service.Name;
        labels[PartOf] = Application;
        labels[Version] = service.Version;
        labels[ManagedBy] = Manager;
        return labels;
    }

    /// <summary>A service's object: its name and every recommended label.</summary>
    public static V1ObjectMeta Metadata(string name, ServiceDescription service) => new() { Name = name, Labels = All(service) };

    /// <summary>An object of no service (the dashboard, the Gateway, the mesh's): named after itself, in its component.</summary>
    public static V1ObjectMeta Metadata(string name, string component = "observability") => new()
    {
        Name = name,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Name] = name,
            [Instance] = name,
            [Component] = component,
            [PartOf] = Application,
            [ManagedBy] = Manager,
        },
    };
}
