using k8s.Models;

namespace HttpServer.Conformance.Tests.Manifests;

/// <summary>Kubernetes resource quantities ("500m", "256Mi") as numbers.</summary>
public static class Quantities
{
    public static decimal? Get(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var quantity) ? quantity.ToDecimal() : null;
}
