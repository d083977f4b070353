using System.Text.Json;
using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The settings with one value for the whole output: the Ingress and Gateway in front of all external services, the
/// optional components, deploy's image build. The writers take them from the shared settings, so a service's own
/// change of one (<c>PublishAsKubernetesService</c>) would be ignored or make Helm differ from kustomize: it is refused.
/// </summary>
public static class ClusterWideSettings
{
    /// <summary>The keys, after <c>Kubernetes:</c>; a section (<c>Gateway</c>) stands for each of its keys.</summary>
    public static readonly string[] Keys =
    [
        nameof(KubernetesSettings.IngressHost), nameof(KubernetesSettings.IngressClass), nameof(KubernetesSettings.TlsSecret),
        nameof(KubernetesSettings.CertManagerClusterIssuer), nameof(KubernetesSettings.Observability), nameof(KubernetesSettings.Gateway),
        nameof(KubernetesSettings.Mesh), nameof(KubernetesSettings.Registry), nameof(KubernetesSettings.BaseImage),
    ];

    /// <summary>Refuses a cluster-wide key that <paramref name="own"/> (a service's settings) changed from <paramref name="shared"/>.</summary>
    public static void RefuseChanges(string service, KubernetesSettings own, KubernetesSettings shared)
    {
        var (mine, theirs) = (JsonSerializer.SerializeToNode(own)!, JsonSerializer.SerializeToNode(shared)!);
        foreach (var key in Keys.SelectMany(k => mine[k] is JsonObject section ? section.Select(p => $"{k}:{p.Key}") : [k])
            .Where(k => !JsonNode.DeepEquals(At(mine, k), At(theirs, k))))
        {
            throw new ManifestGenerationException(
                $"Resource '{service}': Kubernetes:{key} is cluster-wide (one value for every service), but its PublishAsKubernetesService changes it "
                + $"({At(theirs, key)?.ToJsonString()} to {At(mine, key)?.ToJsonString()}): set it in the AppHost's configuration section Kubernetes instead.");
        }
    }

    private static JsonNode? At(JsonNode node, string key) => key.Split(':').Aggregate((JsonNode?)node, (n, part) => n?[part]);
}
