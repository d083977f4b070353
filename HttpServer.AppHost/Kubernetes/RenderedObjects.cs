using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The objects a render (<c>kubectl kustomize</c>, <c>helm template</c>) prints, as deploy is about to apply them: the kinds
/// preflight and the TLS step read are typed, every other object keeps its apiVersion, kind and metadata.
/// </summary>
public static class RenderedObjects
{
    private static readonly Dictionary<string, Func<string, object>> Typed = new(StringComparer.Ordinal)
    {
        ["apps/v1/Deployment"] = d => KubernetesYaml.Deserialize<V1Deployment>(d),
        ["networking.k8s.io/v1/Ingress"] = d => KubernetesYaml.Deserialize<V1Ingress>(d),
        ["networking.k8s.io/v1/NetworkPolicy"] = d => KubernetesYaml.Deserialize<V1NetworkPolicy>(d),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = d => KubernetesYaml.Deserialize<V2HorizontalPodAutoscaler>(d),
        ["gateway.networking.k8s.io/v1/Gateway"] = d => KubernetesYaml.Deserialize<RenderedGateway>(d),
    };

    public static IReadOnlyList<object> Parse(string yaml)
    {
        var objects = new List<object>();
        foreach (var document in yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries))
        {
            if (document.Split('\n').All(line => line.TrimStart().Length == 0 || line.TrimStart().StartsWith('#') || line.Trim('-').Length == 0))
            {
                continue; // empty, or comments only (a Helm template whose condition is off)
            }
            var head = KubernetesYaml.Deserialize<UntypedObject>(document);
            objects.Add(head?.Kind is null ? throw new DeployException($"a rendered object has no kind: {document.Trim()[..Math.Min(200, document.Trim().Length)]}")
                : Typed.TryGetValue($"{head.ApiVersion}/{head.Kind}", out var deserialize) ? deserialize(document) : head);
        }
        return objects;
    }
}

/// <summary>A rendered object of a kind deploy does not read: its apiVersion, kind and metadata.</summary>
public sealed class UntypedObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A Gateway API Gateway as deploy reads it: the TLS Secrets its listeners name, and their hosts.</summary>
public sealed class RenderedGateway : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

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
        public List<SecretReference> CertificateRefs { get; set; } = [];
    }

    public sealed class SecretReference
    {
        public string? Kind { get; set; }

        public string Name { get; set; } = "";
    }
}
