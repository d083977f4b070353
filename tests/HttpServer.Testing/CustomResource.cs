using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HttpServer.Testing;

/// <summary>
/// An object of a CustomResourceDefinition the client has no model for (the Prometheus Operator's PodMonitor and
/// PrometheusRule): loaded strictly down to <c>spec</c>, whose schema the npm CRD models check instead (validate-manifests.mjs).
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>apiVersion/kind of the custom resources the manifests may hold.</summary>
    public static IReadOnlyDictionary<string, Type> Kinds { get; } = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/PodMonitor"] = typeof(CustomResource),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(CustomResource),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(CustomResource),
        ["gateway.networking.k8s.io/v1/Gateway"] = typeof(CustomResource),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(CustomResource),
        ["security.istio.io/v1/PeerAuthentication"] = typeof(CustomResource),
        ["security.istio.io/v1/AuthorizationPolicy"] = typeof(CustomResource),
        ["telemetry.istio.io/v1/Telemetry"] = typeof(CustomResource),
    };

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public Dictionary<string, object>? Spec { get; set; }
}
