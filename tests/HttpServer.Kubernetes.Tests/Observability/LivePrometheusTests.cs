namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>
/// The dashboard's queries and the alert rules against a real Prometheus that scraped the real Api (see
/// <see cref="LiveMonitoring"/>). Panels on kube-state-metrics or cAdvisor series (readiness, restarts, CPU throttling,
/// memory vs limit) cannot return data without a cluster: they are checked to parse with promtool, not to return data.
/// </summary>
public sealed class LivePrometheusTests(LiveMonitoring live) : IClassFixture<LiveMonitoring>
{
    // What the dashboard and the alerts read from the app itself (not from the cluster).
    public static TheoryData<string> AppMetrics =>
    [
        "http_server_request_duration_seconds_bucket", "http_server_active_requests", "http_client_request_duration_seconds_bucket",
        "httpserver_injected_delay_milliseconds_bucket", "httpserver_injected_errors_total", "httpserver_configuration_last_reload_success",
        "dotnet_gc_collections_total", "dotnet_gc_pause_time_seconds_total", "dotnet_gc_last_collection_heap_size_bytes",
        "dotnet_process_memory_working_set_bytes", "kestrel_active_connections",
    ];

    [Theory]
    [MemberData(nameof(AppMetrics))]
    public async Task Every_metric_the_app_is_meant_to_emit_was_scraped(string metric)
    {
        var series = await live.Prometheus.QueryAsync($"count by (service) ({metric}{{namespace=\"{LiveMonitoring.Namespace}\"}})");
        Assert.True(series.Count > 0, $"{metric} was not scraped from any service\n{live.Prometheus.Log}");
    }

    [Fact]
    public async Task Every_dashboard_query_on_the_apps_metrics_returns_data_with_the_variables_filled_in()
    {
        var appQueries = live.DashboardQueries.Where(q => !LiveMonitoring.NeedsCluster(q.Expression)).ToList();
        Assert.True(appQueries.Count >= 10, $"only {appQueries.Count} queries on the app's metrics");
        foreach (var (panel, expression) in appQueries)
        {
            var series = await live.Prometheus.QueryAsync(LiveMonitoring.Substitute(expression));
            Assert.True(series.Count > 0, $"Panel '{panel}' returned no data: {LiveMonitoring.Substitute(expression)}");
        }
    }

    [Fact]
    public void The_panels_that_need_a_cluster_are_exactly_readiness_restarts_throttling_and_memory()
    {
        var clusterPanels = live.DashboardQueries.Where(q => LiveMonitoring.NeedsCluster(q.Expression)).Select(q => q.Panel).Distinct().Order();
        Assert.Equal(["CPU throttling", "Memory vs limit", "Readiness per pod", "Restarts"], clusterPanels);
    }

    [Fact]
    public async Task Every_dashboard_query_parses_with_promtool()
    {
        // Each query as a recording rule: `promtool check rules` parses every expression, with no series needed.
        var rules = "groups:\n  - name: dashboard\n    rules:\n" + string.Concat(live.DashboardQueries.Select((q, i) =>
            $"      - record: dashboard:query_{i}\n        expr: '{LiveMonitoring.Substitute(q.Expression).Replace("'", "''", StringComparison.Ordinal)}'\n"));
        var directory = Directory.CreateTempSubdirectory("dashboard-queries-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "rules.yaml"), rules);
            var check = await Promtool.RunAsync(directory, "check", "rules", "rules.yaml");
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains($"SUCCESS: {live.DashboardQueries.Count} rules found", check.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("namespace_service:http_server_errors:ratio_rate5m")]
    [InlineData("namespace_service:http_server_slow:ratio_rate5m")]
    public async Task The_alerts_recording_rules_evaluate_for_both_services_on_the_real_metrics(string record)
    {
        var series = await live.Prometheus.QueryAsync(record);
        Assert.Equal(["backend", "frontend"], series.Select(s => s.GetProperty("metric").GetProperty("service").GetString()).Order());
    }
}
