using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The traffic components' values in the chart: the Gateway's class, and each canary's release and weight, the one value a
/// rollout changes (<c>--set traffic.canary.backend.weight=100</c> promotes, <c>=0</c> rolls back); the stable Service
/// gets the rest. The stable version in a canary's objects follows <c>image.tag</c>, as the service's own pods do.
/// </summary>
internal static class HelmTrafficValues
{
    public static void Place(HelmTemplate helm, JsonObject node, OptionalComponent component, ObjectSet set)
    {
        var spec = node["spec"] as JsonObject;
        var shared = set.Services[0].Service.Settings;
        if (component.Name == TrafficObjects.GatewayComponent)
        {
            // The north-south entry point: the same host, Secret and issuer values as the Ingress it replaces.
            helm.Default("ingress.host", shared.IngressHost);
            helm.Default("ingress.tlsSecret", shared.TlsSecret);
            Follow(node, shared.IngressHost, () => helm.Expression("{{ .Values.ingress.host | toJson }}"));
            Follow(node, shared.TlsSecret, () => helm.Expression("{{ .Values.ingress.tlsSecret | toJson }}"));
            if ((string?)node["kind"] == "Gateway")
            {
                helm.Place(spec!, "gatewayClassName", "traffic.gateway.className", ".Values.traffic.gateway.className");
                HelmServiceValues.PlaceIssuer(helm, node);
            }
            return;
        }
        var instance = (string?)node["metadata"]?["labels"]?[KubernetesLabels.Instance];
        var service = set.Services.Select(s => s.Service).FirstOrDefault(s => s.Name == instance);
        if (service is null || component.Name != TrafficObjects.CanaryComponent)
        {
            return;
        }
        var reference = $"(index .Values.traffic.canary \"{service.Name}\")";
        var release = service.Settings.Canary.Release(service.Version);
        helm.Default($"traffic.canary.{service.Name}.version", release);
        Follow(node, $"{service.Image.Repository}:{release}", () => helm.Expression($"{{{{ printf \"%s:%s\" .Values.image.repository {reference}.version | toJson }}}}"));
        Follow(node, release, () => helm.Expression($"{{{{ {reference}.version | toJson }}}}"));
        Follow(node, service.Version, () => helm.Expression("{{ .Values.image.tag | toJson }}"));
        foreach (var backend in spec?["rules"]?.AsArray().SelectMany(r => r!["backendRefs"]!.AsArray()).Select(b => b!.AsObject()) ?? [])
        {
            if ((string?)backend["name"] == CanaryObjects.ServiceName(service, CanaryObjects.Canary))
            {
                helm.Place(backend, "weight", $"traffic.canary.{service.Name}.weight", $"{reference}.weight");
            }
            else
            {
                // A weight outside 0..100 fails the render, naming the value (the weights would not split 100).
                backend["weight"] = helm.Expression($"{{{{ if or (lt (int {reference}.weight) 0) (gt (int {reference}.weight) 100) }}}}{{{{ fail \"traffic.canary.{service.Name}.weight must be 0 to 100\" }}}}{{{{ end }}}}{{{{ sub 100 (int {reference}.weight) }}}}");
            }
        }
    }

    /// <summary>Every string equal to <paramref name="literal"/> becomes a Helm reference.</summary>
    private static void Follow(JsonNode node, string literal, Func<JsonNode> reference)
    {
        foreach (var value in HelmTemplate.Descendants(node).OfType<JsonValue>().Where(v => v.TryGetValue<string>(out var text) && text == literal))
        {
            value.ReplaceWith(reference());
        }
    }
}
