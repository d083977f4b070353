using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>aspirate-output with every observability component switched on, rendered once for the class.</summary>
public sealed class MonitoringRender : IAsyncLifetime
{
    public static readonly string[] Components = ["otlp", "metrics", "alerts", "grafana"];

    public RenderedManifests Manifests { get; private set; } = null!;

    public CustomResource PrometheusRule => Manifests.CustomResources("PrometheusRule").Single();

    /// <summary>The PrometheusRule's groups as a Prometheus rule file (what the operator hands Prometheus).</summary>
    public string RuleFile => KubernetesYaml.Serialize(PrometheusRule.Spec);

    public async Task InitializeAsync() => Manifests = await ComponentRender.WithAsync(Components);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Debian's promtool, which tests/setup/observability.sh installs.</summary>
internal static class Promtool
{
    public static string Path => KubernetesTools.ObservabilityTool("/usr/bin/promtool");

    /// <summary>Runs promtool in <paramref name="directory"/> (rule files are found relative to it).</summary>
    public static Task<ProcessResult> RunAsync(string directory, params string[] arguments) =>
        ProcessRunner.RunAsync(Path, arguments, TimeSpan.FromMinutes(1), workingDirectory: directory);
}
