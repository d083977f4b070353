using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The optional traffic components (docs/traffic.md), written under traffic/: <c>gateway</c> (Gateway API in place of
/// the Ingress), <c>canary</c> (a second version of a service and the weighted mesh route to both) and <c>mesh</c>
/// (Istio: mTLS STRICT, callers by identity, tracing). The switches are the shared settings (the first service's, as
/// for the other cluster-wide values) except the canary, which is on when a declared canary has a version.
/// </summary>
internal static class TrafficObjects
{
    public const string Folder = "traffic";
    public const string GatewayApi = "gateway.networking.k8s.io/v1";
    public const string GatewayComponent = "gateway";
    public const string CanaryComponent = "canary";

    public static IEnumerable<OptionalComponent> Build(IReadOnlyList<ServiceDescription> services, OptionalComponent otlp)
    {
        var shared = services[0].Settings;
        yield return Gateway(services, shared) with { Enabled = shared.Gateway.Enabled };
        // Off, the canary is written with its default release (<version>-canary) for an overlay or the chart to switch on.
        var canaries = services.Where(s => s.Settings.Canary.Version.Length > 0).ToList();
        var declared = canaries.Count > 0 ? canaries : [.. services.Where(s => s.Settings.Canary.Declared)];
        if (declared.Count > 0)
        {
            yield return new(Folder, CanaryComponent, [.. declared.SelectMany(s => CanaryObjects.Build(s, services))], [], []) { Enabled = canaries.Count > 0 };
        }
        yield return MeshObjects.Build(services, shared.Mesh, otlp) with { Enabled = shared.Mesh.Enabled };
    }

    /// <summary>One Gateway with an HTTPS listener (TLS ends there, with the Secret), one HTTPRoute to each external service.</summary>
    private static OptionalComponent Gateway(IReadOnlyList<ServiceDescription> services, KubernetesSettings shared)
    {
        var external = services.Where(s => s.IsExternal && s.Ports.Count > 0).ToList();
        var gateway = new CustomObject
        {
            ApiVersion = GatewayApi,
            Kind = "Gateway",
            Metadata = KubernetesLabels.Metadata(KubernetesLabels.Application, "traffic").IssuedBy(shared.CertManagerClusterIssuer),
            Spec = new
            {
                gatewayClassName = shared.Gateway.ClassName,
                listeners = new[]
                {
                    new
                    {
                        name = "https", protocol = "HTTPS", port = 443, hostname = shared.IngressHost,
                        tls = new { mode = "Terminate", certificateRefs = new[] { new { kind = "Secret", name = shared.TlsSecret } } },
                        allowedRoutes = new { namespaces = new { from = "Same" } },
                    },
                },
            },
        };
        var routes = external.Select(s => new CustomObject
        {
            ApiVersion = GatewayApi,
            Kind = "HTTPRoute",
            Metadata = KubernetesLabels.Metadata(s.Name, s),
            Spec = new
            {
                parentRefs = new[] { new { name = KubernetesLabels.Application, sectionName = "https" } },
                hostnames = new[] { shared.IngressHost },
                rules = new[] { new { backendRefs = new[] { new { name = s.Name, port = s.Ports[0].Port } }, timeouts = new { request = shared.Gateway.RequestTimeout } } },
            },
        });
        return new(Folder, GatewayComponent, [gateway, .. routes], [], []) { Removes = [.. external.Select(s => (V1Ingress.KubeKind, s.Name))] };
    }

    internal static string Duration(double seconds) => $"{(int)Math.Round(seconds * 1000)}ms";
}
