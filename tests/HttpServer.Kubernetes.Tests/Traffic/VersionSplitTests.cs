using System.Text.Json.Nodes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Traffic;

/// <summary>A canary is judged on the dashboard: the version reaches the metrics as a label, and the panels split by it.</summary>
public sealed class VersionSplitTests(TrafficRender render) : IClassFixture<TrafficRender>
{
    [Fact]
    public void The_PodMonitor_labels_every_series_with_the_pods_version_and_selects_the_canarys_pods_too()
    {
        var monitor = render.Kustomize.CustomResources("PodMonitor").Single();
        var spec = TrafficRender.Spec(monitor);
        var relabelings = spec["podMetricsEndpoints"]![0]!["relabelings"]!.AsArray();
        Assert.Contains(relabelings, r => (string?)r!["targetLabel"] == "version"
            && (string?)r["sourceLabels"]![0] == "__meta_kubernetes_pod_label_app_kubernetes_io_version");
        var instances = spec["selector"]!["matchExpressions"]![0]!["values"]!.AsArray().Select(v => (string)v!);
        var canary = render.Kustomize.Deployments.Single(d => d.Metadata.Name == "backend-canary");
        Assert.Contains(canary.Spec.Template.Metadata.Labels["app.kubernetes.io/instance"], instances);
    }

    [Theory]
    [InlineData("Error ratio by version", "sum by (service, version)")]
    [InlineData("Latency p99 by version", "sum by (le, service, version)")]
    public void The_dashboard_splits_error_ratio_and_latency_by_version(string title, string grouping)
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost", "Deployment", "grafana", "httpserver-dashboard.json")))!;
        var panel = dashboard["panels"]!.AsArray().Single(p => (string?)p!["title"] == title)!;
        var expression = (string)panel["targets"]![0]!["expr"]!;
        Assert.Contains(grouping, expression, StringComparison.Ordinal);
        Assert.Contains("version=~\"$version\"", expression, StringComparison.Ordinal);
        Assert.Contains(dashboard["templating"]!["list"]!.AsArray(), v => (string?)v!["name"] == "version");
    }
}
