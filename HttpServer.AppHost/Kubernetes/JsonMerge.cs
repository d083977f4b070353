using System.Text.Json.Nodes;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// A strategic merge patch as kustomize applies ours: maps merge, lists of named items merge by name (the patch's first),
/// anything else is replaced. Enough for the production patch, which only sets fields and names its container.
/// </summary>
internal static class JsonMerge
{
    /// <summary>A Deployment with its production patch applied.</summary>
    public static JsonObject Patched(V1Deployment deployment, V1Deployment patch) =>
        Merge(HelmTemplate.ToJson(deployment), HelmTemplate.ToJson(patch)).AsObject();

    public static JsonNode Merge(JsonNode target, JsonNode patch)
    {
        if (target is JsonObject t && patch is JsonObject p)
        {
            foreach (var (key, value) in p.ToList())
            {
                t[key] = t[key] is { } existing && value is not null ? Merge(existing, value) : value?.DeepClone();
            }
            return t;
        }
        if (target is JsonArray ta && patch is JsonArray pa && pa.All(i => i?["name"] is not null) && ta.All(i => i?["name"] is not null))
        {
            // As kustomize orders them: the patch's items (merged with the same-named ones), then the others.
            var merged = pa.Select(item => ta.FirstOrDefault(i => (string?)i!["name"] == (string?)item!["name"]) is { } match
                ? Merge(match.DeepClone(), item!) : item!.DeepClone()).ToList();
            merged.AddRange(ta.Where(i => !pa.Any(p => (string?)p!["name"] == (string?)i!["name"])).Select(i => i!.DeepClone()));
            return new JsonArray([.. merged]);
        }
        return patch.DeepClone();
    }
}
