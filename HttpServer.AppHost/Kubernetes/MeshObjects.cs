using HttpServer.ServiceDefaults.Management;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The component <c>mesh</c> (Istio): mTLS STRICT in the namespace, each called service admitting only its callers'
/// ServiceAccounts (and Prometheus' namespace), traces from the sidecars at a sampling rate to the in-cluster dashboard
/// when the otlp component is on, and every pod's egress to istiod. docs/traffic.md names the ports.
/// </summary>
internal static class MeshObjects
{
    private const string SecurityApi = "security.istio.io/v1";

    /// <summary>STRICT mTLS admits only sidecars; the Ingress controller (ingress-nginx) has none, the mesh's Gateway does.</summary>
    public const string NeedsGatewayBecause = "the mesh's STRICT mTLS refuses the Ingress controller's plain requests (ingress-nginx runs no sidecar)";
    private const int Istiod = 15012; // xDS and certificate signing over TLS

    public static OptionalComponent Build(IReadOnlyList<ServiceDescription> services, MeshSettings mesh, OptionalComponent otlp)
    {
        var peerAuthentication = new CustomObject
        {
            ApiVersion = SecurityApi,
            Kind = "PeerAuthentication",
            Metadata = KubernetesLabels.Metadata(KubernetesLabels.Application, "traffic"),
            Spec = new { mtls = new { mode = "STRICT" } },
        };
        var telemetry = new CustomObject
        {
            ApiVersion = "telemetry.istio.io/v1",
            Kind = "Telemetry",
            Metadata = KubernetesLabels.Metadata(KubernetesLabels.Application, "traffic"),
            Spec = new { tracing = new[] { new { providers = new[] { new { name = mesh.TracingProvider } }, randomSamplingPercentage = mesh.TraceSamplingPercent } } },
        };
        // Every pod of the application gets a sidecar, the dashboard's too: each may reach istiod, found by name (policies add up).
        var istiod = new V1NetworkPolicy
        {
            Metadata = KubernetesLabels.Metadata($"{KubernetesLabels.Application}-mesh", "traffic"),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = ProductionObjectFactory.Labels(KubernetesLabels.PartOf, KubernetesLabels.Application),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To = [new V1NetworkPolicyPeer { NamespaceSelector = ProductionObjectFactory.Namespace(mesh.ControlPlaneNamespace), PodSelector = ProductionObjectFactory.Labels("app", "istiod") }],
                        Ports = [new V1NetworkPolicyPort { Port = Istiod, Protocol = "TCP" }],
                    },
                    ProductionObjectFactory.DnsEgress(),
                ],
            },
        }.Typed();
        // The Telemetry traces every proxy, the Gateway's too: Istio labels the Gateway's pods with its name, and they may send
        // to the dashboard's OTLP port (the otlp component's policy admits the app's pods only; policies add up).
        var gatewaySpans = KubernetesObjectFactory.NetworkPolicy(KubernetesLabels.Metadata($"{OtlpComponent.Dashboard}-gateway", "traffic"), OtlpComponent.DashboardPods,
            [new V1NetworkPolicyIngressRule
            {
                FromProperty = [new V1NetworkPolicyPeer { PodSelector = ProductionObjectFactory.Labels("gateway.networking.k8s.io/gateway-name", KubernetesLabels.Application) }],
                Ports = [new V1NetworkPolicyPort { Port = OtlpComponent.OtlpPort, Protocol = "TCP" }],
            }], egress: null);
        List<object> resources = [peerAuthentication, .. services.Where(s => !s.IsExternal).Select(s => Authorization(s, services)), telemetry, gatewaySpans, istiod];
        return new(TrafficObjects.Folder, "mesh", resources, [], [])
        {
            Needs = new Dictionary<object, OptionalComponent> { [telemetry] = otlp, [gatewaySpans] = otlp },
            Requires = [($"{TrafficObjects.Folder}/{TrafficObjects.GatewayComponent}", NeedsGatewayBecause)],
        };
    }

    /// <summary>
    /// ALLOW with rules: everything else is denied. The principal is matched by suffix (<c>*/sa/NAME</c>): the namespace
    /// is the one the output is applied to, unknown here.
    /// </summary>
    private static CustomObject Authorization(ServiceDescription service, IReadOnlyList<ServiceDescription> all)
    {
        var callers = service.CallersIn(all).Select(s => $"*/sa/{s.Name}").ToArray();
        return new CustomObject
        {
            ApiVersion = SecurityApi,
            Kind = "AuthorizationPolicy",
            Metadata = KubernetesLabels.Metadata(service.Name, service),
            Spec = new
            {
                selector = new { matchLabels = KubernetesLabels.Selector(service) },
                action = "ALLOW",
                rules = new object[]
                {
                    new { from = new[] { new { source = new { principals = callers } } } },
                    // Prometheus, for the metrics only.
                    new
                    {
                        from = new[] { new { source = new { namespaces = new[] { service.Settings.MonitoringNamespace } } } },
                        to = new[] { new { operation = new { methods = new[] { "GET" }, paths = new[] { ManagementPaths.Metrics } } } },
                    },
                },
            },
        };
    }
}
