using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The traffic components' values in the chart: the Gateway's class, and each canary's weight, the one value a rollout
/// changes (<c>--set canary.backend.weight=100</c> promotes, <c>=0</c> rolls back); the stable Service gets the rest.
/// </summary>
internal static class HelmTrafficValues
{
    public static void Place(HelmTemplate helm, JsonObject node)
    {
        var spec = node["spec"] as JsonObject;
        if (spec is null || !((string?)node["apiVersion"] ?? "").StartsWith("gateway.networking.k8s.io/", StringComparison.Ordinal))
        {
            return;
        }
        if ((string?)node["kind"] == "Gateway")
        {
            helm.Place(spec, "gatewayClassName", "gateway.className", ".Values.gateway.className");
            return;
        }
        var parent = spec["parentRefs"]![0]!;
        if ((string?)parent["kind"] != "Service")
        {
            return;
        }
        var service = (string)parent["name"]!;
        var reference = $"(index .Values.canary \"{service}\").weight";
        foreach (var backend in spec["rules"]!.AsArray().SelectMany(r => r!["backendRefs"]!.AsArray()).Select(b => b!.AsObject()))
        {
            if ((string?)backend["name"] == CanaryObjects.ServiceName(service, CanaryObjects.Canary))
            {
                helm.Place(backend, "weight", $"canary.{service}.weight", reference);
            }
            else
            {
                // A weight outside 0..100 fails the render, naming the value (the weights would not split 100).
                backend["weight"] = helm.Expression($"{{{{ if or (lt (int {reference}) 0) (gt (int {reference}) 100) }}}}{{{{ fail \"canary.{service}.weight must be 0 to 100\" }}}}{{{{ end }}}}{{{{ sub 100 (int {reference}) }}}}");
            }
        }
    }
}
