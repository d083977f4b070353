using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The objects a render (<c>kubectl kustomize</c>, <c>helm template</c>) prints, as deploy is about to apply them: every
/// built-in kind in KubernetesClient's model, the Gateway as the TLS step reads it, any other custom resource with only
/// its apiVersion, kind and metadata.
/// </summary>
public static class RenderedObjects
{
    public static IReadOnlyList<object> Parse(string yaml)
    {
        var objects = new List<object>();
        foreach (var document in yaml.Split("\n---"))
        {
            // Null: empty, or comments only (a Helm template whose condition is off), which KubernetesClient's reader refuses.
            if (KubernetesYaml.Deserialize<KubernetesObject?>(document) is not { } head)
            {
                continue;
            }
            // KubernetesClient's reader knows every built-in kind; a custom resource's kind must be named to it.
            Dictionary<string, Type>? custom = CustomResourceDefinition(head) is null ? null
                : new() { [$"{head.ApiVersion}/{head.Kind}"] = head.Kind == "Gateway" ? typeof(RenderedGateway) : typeof(RenderedObject) };
            objects.AddRange(KubernetesYaml.LoadAllFromString(document, custom));
        }
        return objects;
    }

    /// <summary>
    /// The object as kubectl names it, unambiguously: <c>service/backend</c>, <c>deployment.apps/backend</c>,
    /// <c>gateway.gateway.networking.k8s.io/httpserver</c> (Istio has a kind Gateway too).
    /// </summary>
    public static string Reference(object item) => item is IKubernetesObject o and IMetadata<V1ObjectMeta> m
        ? $"{o.Kind.ToLowerInvariant()}{(o.ApiVersion.Split('/') is [var group, _] ? $".{group}" : "")}/{m.Metadata.Name}"
        : throw new ArgumentException($"not a Kubernetes object: {item}", nameof(item));

    /// <summary>
    /// <c>podmonitors.monitoring.coreos.com</c> for a PodMonitor: any object outside the built-in API groups (no dot, or
    /// <c>*.k8s.io</c>); the Gateway API is a <c>k8s.io</c> group that clusters install as CRDs all the same.
    /// </summary>
    public static string? CustomResourceDefinition(IKubernetesObject resource)
    {
        var group = resource.ApiVersion?.Split('/') is [var g, _] ? g : null;
        var builtIn = group is null || !group.Contains('.', StringComparison.Ordinal)
            || (group.EndsWith(".k8s.io", StringComparison.Ordinal) && group != "gateway.networking.k8s.io");
        if (builtIn)
        {
            return null;
        }
        // English plurals, as the CRDs spell them: authorizationpolicies, telemetries.
        var kind = resource.Kind.ToLowerInvariant();
        return kind.EndsWith('y') && !"aeiou".Contains(kind[^2], StringComparison.Ordinal) ? $"{kind[..^1]}ies.{group}" : $"{kind}s.{group}";
    }
}

/// <summary>A custom resource as deploy reads it: what names it.</summary>
public class RenderedObject : KubernetesObject, IMetadata<V1ObjectMeta>
{
    public V1ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A Gateway API Gateway as deploy reads it: the TLS Secrets its listeners name, and their hosts.</summary>
public sealed class RenderedGateway : RenderedObject
{
    public GatewaySpec Spec { get; set; } = new();

    public sealed class GatewaySpec
    {
        public List<Listener> Listeners { get; set; } = [];
    }

    public sealed class Listener
    {
        public string? Hostname { get; set; }

        public ListenerTls? Tls { get; set; }
    }

    public sealed class ListenerTls
    {
        /// <summary>Secrets, by name (the kind the Gateway API takes by default, and the only one the generator writes).</summary>
        public List<V1SecretReference> CertificateRefs { get; set; } = [];
    }
}
