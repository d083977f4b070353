using System.Text.Json.Serialization;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// An optional component (observability/ or traffic/): the objects it adds, what it appends to each app container's
/// environment and NetworkPolicy egress, and the production objects it replaces (<see cref="Removes"/>, kind and name).
/// Every component is written by both writers; <see cref="Enabled"/> (the AppHost's switch) decides whether kustomize
/// lists it and what the chart's <see cref="ValuesKey"/><c>.enabled</c> defaults to.
/// </summary>
public sealed record OptionalComponent(string Folder, string Name, IReadOnlyList<object> Resources,
    IReadOnlyList<V1EnvVar> AppEnvironment, IReadOnlyList<V1NetworkPolicyEgressRule> AppEgress)
{
    public bool Enabled { get; init; }

    public IReadOnlyList<(string Kind, string Name)> Removes { get; init; } = [];

    /// <summary>Resources that exist only while another component is on too (the mesh's Telemetry needs the otlp dashboard).</summary>
    public IReadOnlyDictionary<object, OptionalComponent> Needs { get; init; } = new Dictionary<object, OptionalComponent>();

    public string Path => $"{Folder}/{Name}";

    /// <summary>Its switch in the chart's values: <c>observability.otlp</c>, <c>traffic.canary</c>.</summary>
    public string ValuesKey => $"{Folder}.{Name}";
}

/// <summary>An object of a CustomResourceDefinition (Prometheus Operator, Gateway API, Istio), which KubernetesClient has no model for.</summary>
public sealed class CustomObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; init; } = new();
    [JsonPropertyName("spec")] public object? Spec { get; init; }
}
