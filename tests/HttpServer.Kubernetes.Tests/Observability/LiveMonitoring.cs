using System.Globalization;
using System.Text.Json;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>
/// A real Prometheus on loopback scraping frontend and backend (real processes, backend with delay and error injection)
/// every second, with the rendered PrometheusRule loaded, after a bounded load: at most 240 requests within 20 s.
/// The targets carry the labels the PodMonitor gives them in a cluster (namespace, service, pod).
/// </summary>
public sealed class LiveMonitoring : IAsyncLifetime
{
    public const string Namespace = "local";
    private static readonly TimeSpan LoadTime = TimeSpan.FromSeconds(20);
    private ApiProcess? _backend;
    private ApiProcess? _frontend;

    public RenderedManifests Manifests { get; private set; } = null!;

    internal PrometheusProcess Prometheus { get; private set; } = null!;

    /// <summary>Every target's expression of the shipped dashboard (from the rendered ConfigMap), with its panel.</summary>
    public IReadOnlyList<(string Panel, string Expression)> DashboardQueries { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Manifests = await ComponentRender.WithAsync(MonitoringRender.Components);
        var dashboard = Manifests.Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Labels?.ContainsKey("grafana_dashboard") == true);
        using (var json = JsonDocument.Parse(dashboard.Data.Single().Value))
        {
            DashboardQueries = [.. json.RootElement.GetProperty("panels").EnumerateArray()
                .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)))];
        }

        _backend = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["FaultInjection__DelayMinMs"] = "5",
            ["FaultInjection__DelayMaxMs"] = "80",
            ["FaultInjection__ErrorRate"] = "0.05",
        });
        _frontend = ApiProcess.Start(new Dictionary<string, string?> { ["Downstream__BaseUrl"] = _backend.BaseAddress.ToString() });
        await Task.WhenAll(_backend.WaitForReadyAsync(), _frontend.WaitForReadyAsync());

        var rules = KubernetesYaml.Serialize(Manifests.CustomResources("PrometheusRule").Single().Spec);
        Prometheus = await PrometheusProcess.StartAsync(Configuration(_backend, _frontend), rules);
        await LoadAsync(_frontend, _backend);
        await WaitForRulesAsync();
    }

    // On a busy machine the first rule evaluations can lag the load: wait (bounded) until the alerts' recording rules
    // have a result for both services, then the tests read whatever is there.
    private async Task WaitForRulesAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] records = ["namespace_service:http_server_errors:ratio_rate5m", "namespace_service:http_server_slow:ratio_rate5m"];
        while (DateTime.UtcNow < deadline)
        {
            var counts = await Task.WhenAll(records.Select(r => Prometheus.QueryAsync(r)));
            if (counts.All(c => c.Count == 2))
            {
                return;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>What the PodMonitor's relabelling copies from the pod's version label in a cluster.</summary>
    private const string Version = "1.0.0";

    /// <summary>A dashboard expression with the variables Grafana would fill in: both services, this namespace, the version, 1m.</summary>
    public static string Substitute(string expression) => expression
        .Replace("$version", Version, StringComparison.Ordinal)
        .Replace("$namespace", Namespace, StringComparison.Ordinal)
        .Replace("$service", "backend|frontend", StringComparison.Ordinal)
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal);

    /// <summary>Needs kube-state-metrics or cAdvisor, which only a cluster has.</summary>
    public static bool NeedsCluster(string expression) =>
        expression.Contains("kube_", StringComparison.Ordinal) || expression.Contains("container_", StringComparison.Ordinal);

    private static string Configuration(ApiProcess backend, ApiProcess frontend) => string.Create(CultureInfo.InvariantCulture, $$"""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [rules.yaml]
        scrape_configs:
          - job_name: httpserver-api
            static_configs:
              - targets: ["{{backend.BaseAddress.Authority}}"]
                labels: {namespace: {{Namespace}}, service: backend, pod: backend-0, version: "{{Version}}"}
              - targets: ["{{frontend.BaseAddress.Authority}}"]
                labels: {namespace: {{Namespace}}, service: frontend, pod: frontend-0, version: "{{Version}}"}
        """);

    // Four loopback clients, 60 requests each at most, stopped after LoadTime: /chain (both services, injected delay and
    // errors), the backend's /, and the frontend's /status/404 and /status/503 (4xx and 5xx whatever the injection draws).
    private static async Task LoadAsync(ApiProcess frontend, ApiProcess backend)
    {
        using var stop = new CancellationTokenSource(LoadTime);
        string[] paths = ["/chain", "/chain", "/", "/status/404", "/status/503"];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            var client = worker == 2 ? backend.Client : frontend.Client;
            for (var i = 0; i < 60 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await client.GetAsync(paths[worker == 3 ? 3 + (i % 2) : worker], stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }));
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }
        if (_frontend is not null)
        {
            await _frontend.DisposeAsync();
        }
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
