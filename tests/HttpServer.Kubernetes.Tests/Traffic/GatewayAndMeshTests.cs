using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Traffic;

/// <summary>The Gateway in place of the Ingress, the mesh's security objects, and the offline schema checks of them all.</summary>
public sealed class GatewayAndMeshTests(TrafficRender render) : IClassFixture<TrafficRender>
{
    private RenderedManifests Manifests => render.Kustomize;

    [Fact]
    public void The_Gateway_ends_TLS_with_the_Secret_and_routes_to_the_frontend_with_a_timeout_and_the_Ingress_is_gone()
    {
        Assert.Empty(Manifests.Objects.OfType<V1Ingress>());
        Assert.Empty(render.Helm.Objects.OfType<V1Ingress>());
        var listener = TrafficRender.Spec(Manifests.CustomResources("Gateway").Single())["listeners"]![0]!;
        Assert.Equal("HTTPS", (string?)listener["protocol"]);
        Assert.Equal("httpserver-tls", (string?)listener["tls"]!["certificateRefs"]![0]!["name"]);
        var route = TrafficRender.Spec(Manifests.CustomResources("HTTPRoute").Single(r => r.Metadata.Name == "frontend"));
        Assert.Equal("frontend", (string?)route["rules"]![0]!["backendRefs"]![0]!["name"]);
        Assert.NotNull(route["rules"]![0]!["timeouts"]!["request"]);
    }

    [Fact]
    public void The_mesh_is_STRICT_and_the_backend_admits_the_frontends_identity_only()
    {
        Assert.Equal("STRICT", (string?)TrafficRender.Spec(Manifests.CustomResources("PeerAuthentication").Single())["mtls"]!["mode"]);
        var policy = TrafficRender.Spec(Manifests.CustomResources("AuthorizationPolicy").Single(p => p.Metadata.Name == "backend"));
        Assert.Equal("ALLOW", (string?)policy["action"]);
        var principals = policy["rules"]!.AsArray().SelectMany(r => r!["from"]!.AsArray()).SelectMany(f => f!["source"]!["principals"]?.AsArray() ?? []).Select(p => (string)p!);
        Assert.Equal(["*/sa/frontend"], principals);
        var monitoring = Assert.Single(policy["rules"]!.AsArray(), r => r!["from"]![0]!["source"]!["namespaces"] is not null)!;
        Assert.Equal("/metrics", (string?)Assert.Single(monitoring["to"]![0]!["operation"]!["paths"]!.AsArray()));
        foreach (var deployment in Manifests.Deployments.Where(d => d.Metadata.Name != "aspire-dashboard"))
        {
            var account = Manifests.Objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == deployment.Spec.Template.Spec.ServiceAccountName);
            Assert.False(account.AutomountServiceAccountToken);
            Assert.StartsWith(account.Metadata.Name, deployment.Metadata.Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_Gateways_pods_which_the_mesh_traces_too_may_send_their_spans_to_the_dashboard()
    {
        var gateway = new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = Manifests.CustomResources("Gateway").Single().Metadata.Name };
        var dashboard = Manifests.Deployments.Single(d => d.Metadata.Name == "aspire-dashboard").Spec.Template.Metadata.Labels;
        foreach (var rendered in new[] { Manifests, render.Helm })
        {
            // NetworkPolicies add up: the ingress of every policy that selects the dashboard's pods.
            var ingress = rendered.Objects.OfType<V1NetworkPolicy>()
                .Where(p => p.Spec.PodSelector.MatchLabels.All(l => dashboard.TryGetValue(l.Key, out var value) && value == l.Value))
                .SelectMany(p => p.Spec.Ingress ?? []).ToList();
            Assert.Contains(ingress, i => i.Ports.Any(p => p.Port.Value == "18889") && i.FromProperty.Any(f => f.PodSelector?.MatchLabels?.SequenceEqual(gateway) == true));
        }
    }

    [Fact]
    public void Every_pod_the_dashboards_included_may_reach_istiod_by_name_for_its_sidecar()
    {
        var istiod = new Dictionary<string, string> { ["app"] = "istiod" };
        Assert.Contains(Manifests.Deployments, d => d.Metadata.Name == "aspire-dashboard");
        foreach (var pod in Manifests.Deployments.Select(d => d.Spec.Template.Metadata.Labels))
        {
            // NetworkPolicies add up: the egress of every policy that selects the pod.
            var egress = Manifests.Objects.OfType<V1NetworkPolicy>()
                .Where(p => p.Spec.PodSelector.MatchLabels.All(l => pod.TryGetValue(l.Key, out var value) && value == l.Value))
                .SelectMany(p => p.Spec.Egress ?? []).ToList();
            Assert.Contains(egress, e => e.Ports.Any(p => p.Port.Value == "15012") && e.To.Any(t => t.PodSelector.MatchLabels.SequenceEqual(istiod)));
            Assert.Contains(egress, e => e.Ports.Any(p => p.Port.Value == "53"));
        }
    }

    [Fact]
    public async Task Every_traffic_object_passes_the_Gateway_API_and_Istio_schemas_and_a_malformed_route_is_refused()
    {
        var report = await ManifestValidationTests.ValidateAsync(Manifests.Yaml);
        Assert.Equal(Manifests.Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
        // Controls: a weight as a string, and an mTLS mode Istio does not know.
        var broken = Manifests.Yaml.Replace("weight: 10", "weight: \"10\"", StringComparison.Ordinal).Replace("mode: STRICT", "mode: STRICTEST", StringComparison.Ordinal);
        Assert.NotEqual(Manifests.Yaml, broken);
        var refused = await ManifestValidationTests.ValidateAsync(broken);
        Assert.Contains(refused.SchemaErrors, e => e.StartsWith("HTTPRoute/backend", StringComparison.Ordinal));
        Assert.Contains(refused.SchemaErrors, e => e.StartsWith("PeerAuthentication/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_the_chart_the_Gateway_takes_the_host_Secret_and_issuer_values_of_the_Ingress_it_replaces()
    {
        var helm = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(render.Chart,
            "--set", "ingress.host=app.example.org", "--set", "ingress.tlsSecret=app-tls", "--set", "ingress.certManagerClusterIssuer=letsencrypt"));

        var gateway = helm.CustomResources("Gateway").Single();
        var listener = TrafficRender.Spec(gateway)["listeners"]![0]!;
        Assert.Equal("app.example.org", (string?)listener["hostname"]);
        Assert.Equal("app-tls", (string?)listener["tls"]!["certificateRefs"]![0]!["name"]);
        Assert.Equal("letsencrypt", gateway.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
        var route = TrafficRender.Spec(helm.CustomResources("HTTPRoute").Single(r => r.Metadata.Name == "frontend"));
        Assert.Equal("app.example.org", (string?)route["hostnames"]![0]);
        Assert.Empty(render.Helm.CustomResources("Gateway").Single().Metadata.Annotations ?? new Dictionary<string, string>()); // no issuer named: none
    }
}
