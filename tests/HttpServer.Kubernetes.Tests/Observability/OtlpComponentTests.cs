using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>observability/otlp switched on: the dashboard's objects, and every app pod wired to it, on the real render.</summary>
public sealed class OtlpComponentTests(OtlpRender render) : IClassFixture<OtlpRender>
{
    private const string AppImage = "httpserver-api";
    private const int OtlpPort = 18889;

    private RenderedManifests Manifests => render.Manifests;
    private V1Deployment Dashboard => Manifests.Deployments.Single(d => d.Metadata.Name == OtlpRender.Dashboard);

    [Fact]
    public async Task Nothing_of_it_is_rendered_until_the_AppHosts_configuration_switches_it_on()
    {
        var plain = await RenderedManifests.RenderAsync(RepositoryPaths.AspirateOutput);
        Assert.DoesNotContain(OtlpRender.Dashboard, plain.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", plain.Yaml, StringComparison.Ordinal);
        Assert.Contains(OtlpRender.Dashboard, Manifests.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_app_container_exports_to_the_dashboards_OTLP_port_as_its_service_with_its_pod_as_resource()
    {
        var service = Manifests.Objects.OfType<V1Service>().Single(s => s.Metadata.Name == OtlpRender.Dashboard);
        var otlp = service.Spec.Ports.Single(p => p.Name == "otlp-grpc");
        Assert.Equal(OtlpPort, Dashboard.Spec.Template.Spec.Containers.Single().Ports.Single(p => p.Name == otlp.TargetPort.Value).ContainerPort);
        var apps = Manifests.DeploymentsRunning(AppImage).ToList();
        Assert.Equal(["backend", "frontend"], apps.Select(a => a.Deployment.Metadata.Name).Order());
        foreach (var (deployment, container) in apps)
        {
            var environment = ContainerEnvironment.Resolve(deployment, container, "pod-1", "shop", "node-a");
            Assert.Equal(new Uri($"http://{service.Metadata.Name}:{otlp.Port}"), new Uri(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal(deployment.Metadata.Name, PodConfiguration.For(Manifests, deployment)["OTEL_SERVICE_NAME"]);
            var attributes = environment["OTEL_RESOURCE_ATTRIBUTES"].Split(',').Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
            Assert.Equal("pod-1", attributes["k8s.pod.name"]);
            Assert.Equal("shop", attributes["k8s.namespace.name"]);
            Assert.Equal("node-a", attributes["k8s.node.name"]);
            // The production settings are still there: the OTLP patch appends, it does not replace.
            Assert.Equal("/config", environment["APP_CONFIG_DIR"]);
        }
    }

    [Fact]
    public void The_dashboard_is_not_patched_as_an_app_and_its_UI_asks_for_a_browser_token()
    {
        var container = Dashboard.Spec.Template.Spec.Containers.Single();
        Assert.Equal($"mcr.microsoft.com/dotnet/aspire-dashboard:{AspireVersion()}", container.Image);
        var environment = ContainerEnvironment.Resolve(Dashboard, container, "pod-1", "shop", "node-a");
        Assert.DoesNotContain("APP_CONFIG_DIR", environment.Keys);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", environment.Keys);
        Assert.Equal("BrowserToken", environment["Dashboard__Frontend__AuthMode"]);
        Assert.DoesNotContain(environment, e => e.Key.Contains("ALLOW_ANONYMOUS", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(container.Resources.Requests, container.Resources.Limits);
    }

    // The dashboard image is the one the AppHost runs locally: the version of its Aspire packages.
    private static string AspireVersion() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Aspire.Hosting.AppHost").Attribute("Version")!.Value;

    [Fact]
    public void Every_app_NetworkPolicy_lets_OTLP_out_to_the_dashboard_whose_policy_admits_the_app_pods_only()
    {
        var dashboardPod = Dashboard.Spec.Template.Metadata.Labels;
        var policies = Manifests.Objects.OfType<V1NetworkPolicy>().ToList();
        var dashboardPolicy = policies.Single(p => NetworkPolicyRules.Selects(p, dashboardPod));
        Assert.Equal(["Egress", "Ingress"], dashboardPolicy.Spec.PolicyTypes.Order());
        Assert.NotEmpty(Manifests.DeploymentsRunning(AppImage));
        foreach (var (deployment, _) in Manifests.DeploymentsRunning(AppImage))
        {
            var pod = deployment.Spec.Template.Metadata.Labels;
            var own = policies.Single(p => NetworkPolicyRules.Selects(p, pod));
            Assert.True(NetworkPolicyRules.EgressAllows(own, dashboardPod, OtlpPort), $"{own.Metadata.Name} does not let OTLP out");
            Assert.False(NetworkPolicyRules.EgressAllows(own, dashboardPod, 18888), $"{own.Metadata.Name} lets the pod reach the dashboard's UI");
            Assert.True(NetworkPolicyRules.IngressAdmits(dashboardPolicy, pod, OtlpPort), $"the dashboard does not admit {deployment.Metadata.Name}");
        }
        // Anything else, and the UI port from anyone, stays closed.
        Assert.False(NetworkPolicyRules.IngressAdmits(dashboardPolicy, new Dictionary<string, string> { ["app"] = "other" }, OtlpPort));
        Assert.NotEmpty(dashboardPolicy.Spec.Ingress);
        Assert.All(dashboardPolicy.Spec.Ingress, rule => Assert.All(rule.FromProperty, peer => Assert.Null(peer.NamespaceSelector)));
        Assert.False(NetworkPolicyRules.IngressAdmits(dashboardPolicy, Manifests.Deployments.First().Spec.Template.Metadata.Labels, 18888));
        Assert.Null(dashboardPolicy.Spec.Egress);
    }

    [Fact]
    public async Task The_render_passes_the_schema_and_the_restricted_Pod_Security_checks()
    {
        var report = await ManifestValidationTests.ValidateAsync(Manifests.Yaml);
        Assert.Equal(Manifests.Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
    }
}

public sealed class OtlpRender : IAsyncLifetime
{
    public const string Dashboard = "aspire-dashboard";

    public RenderedManifests Manifests { get; private set; } = null!;

    public async Task InitializeAsync() => Manifests = await ComponentRender.WithAsync("otlp");

    public Task DisposeAsync() => Task.CompletedTask;
}
