using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>observability/metrics and observability/alerts switched on: the custom resources, checked against the CRDs.</summary>
public sealed class MonitoringComponentTests(MonitoringRender render) : IClassFixture<MonitoringRender>
{
    private RenderedManifests Manifests => render.Manifests;

    [Fact]
    public async Task Every_component_on_passes_the_schema_with_the_CRDs_and_the_restricted_Pod_Security_checks()
    {
        Assert.Equal(["PodMonitor", "PrometheusRule"], Manifests.Objects.OfType<CustomResource>().Select(c => c.Kind).Order());
        var report = await ManifestValidationTests.ValidateAsync(Manifests.Yaml);
        Assert.Equal(Manifests.Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
    }

    [Fact]
    public async Task The_CRD_schema_check_rejects_a_malformed_PodMonitor_and_PrometheusRule()
    {
        var broken = Manifests.Yaml.Replace("scrapeTimeout: 5s", "scrapeTimeout: 5 seconds", StringComparison.Ordinal)
            .Replace("for: 2m", "for: soon", StringComparison.Ordinal);
        var report = await ManifestValidationTests.ValidateAsync(broken);
        Assert.Contains(report.SchemaErrors, e => e.StartsWith("PodMonitor/", StringComparison.Ordinal));
        Assert.Contains(report.SchemaErrors, e => e.StartsWith("PrometheusRule/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_PodMonitor_scrapes_the_management_port_of_every_app_pod_and_the_pods_keep_their_scrape_annotations()
    {
        var monitor = Manifests.CustomResources("PodMonitor").Single();
        var expression = (Dictionary<object, object>)((List<object>)((Dictionary<object, object>)monitor.Spec!["selector"])["matchExpressions"]).Single();
        Assert.Equal("app.kubernetes.io/instance", expression["key"]);
        Assert.Equal("In", expression["operator"]);
        var instances = ((List<object>)expression["values"]).Cast<string>().ToList();
        var endpoint = (Dictionary<object, object>)((List<object>)monitor.Spec["podMetricsEndpoints"]).Single();
        Assert.Equal("/metrics", endpoint["path"]);
        Assert.Equal("management", endpoint["port"]);
        var apps = Manifests.DeploymentsRunning("httpserver-api").ToList();
        Assert.Equal(2, apps.Count);
        foreach (var (deployment, container) in apps)
        {
            var pod = deployment.Spec.Template.Metadata;
            Assert.Contains(pod.Labels["app.kubernetes.io/instance"], instances);
            var scraped = Assert.Single(container.Ports, p => p.Name == (string)endpoint["port"]);
            Assert.Equal(scraped.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), pod.Annotations["prometheus.io/port"]);
            Assert.Equal("true", pod.Annotations["prometheus.io/scrape"]);
        }
        // Only the app: the dashboard's pod is not scraped (it has no /metrics on its ports).
        var dashboard = Manifests.Deployments.Single(d => d.Metadata.Name == OtlpRender.Dashboard).Spec.Template.Metadata.Labels;
        Assert.DoesNotContain(dashboard["app.kubernetes.io/instance"], instances);
    }
}
