using YamlDotNet.Serialization;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>
/// The rendered PrometheusRule through the real promtool: it parses, and alerts.test.yaml (promtool's unit tests) makes
/// every alert fire on the series that should fire it and stay quiet on healthy ones.
/// </summary>
public sealed class PrometheusRuleTests(MonitoringRender render) : IClassFixture<MonitoringRender>
{
    private static readonly string UnitTests = Path.Combine(Infrastructure.GeneratedOutput.Assets, "alerts", "alerts.test.yaml");

    [Fact]
    public async Task Promtool_accepts_the_rules_and_every_alert_passes_its_unit_tests()
    {
        using var directory = new RuleDirectory(render.RuleFile);
        var check = await Promtool.RunAsync(directory.Path, "check", "rules", "rules.yaml");
        Assert.True(check.ExitCode == 0, check.ToString());
        var test = await Promtool.RunAsync(directory.Path, "test", "rules", "alerts.test.yaml");
        Assert.True(test.ExitCode == 0, test.ToString());
    }

    [Fact]
    public async Task Promtool_rejects_a_broken_expression_and_a_unit_test_that_expects_the_wrong_alert()
    {
        using var broken = new RuleDirectory(render.RuleFile.Replace("> 0.9", "> > 0.9", StringComparison.Ordinal));
        Assert.NotEqual(0, (await Promtool.RunAsync(broken.Path, "check", "rules", "rules.yaml")).ExitCode);
        // The memory alert made to fire from 50 %: the healthy case's "stays quiet" must then fail.
        using var sensitive = new RuleDirectory(render.RuleFile.Replace("> 0.9", "> 0.3", StringComparison.Ordinal));
        var test = await Promtool.RunAsync(sensitive.Path, "test", "rules", "alerts.test.yaml");
        Assert.NotEqual(0, test.ExitCode);
        Assert.Contains("HttpServerMemoryNearLimit", test.StandardOutput + test.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_one_line_runbook_and_unit_tests_where_it_fires_and_where_it_does_not()
    {
        var rules = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<RuleFile>(render.RuleFile);
        var alerts = rules.Groups.SelectMany(g => g.Rules).Where(r => r.Alert is not null).ToList();
        Assert.Equal(9, alerts.Count);
        var unitTests = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<UnitTestFile>(File.ReadAllText(UnitTests)).Tests.SelectMany(t => t.AlertRuleTest).ToList();
        foreach (var alert in alerts)
        {
            Assert.True(alert.Labels!["severity"] is "critical" or "warning", alert.Alert);
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations!["runbook"]), alert.Alert);
            Assert.DoesNotContain('\n', alert.Annotations["runbook"]);
            Assert.Contains(unitTests, t => t.Alertname == alert.Alert && t.ExpAlerts.Count > 0);
            Assert.Contains(unitTests, t => t.Alertname == alert.Alert && t.ExpAlerts.Count == 0);
        }
    }

    private sealed class RuleDirectory : IDisposable
    {
        public RuleDirectory(string rules)
        {
            Path = Directory.CreateTempSubdirectory("prometheus-rules-").FullName;
            File.WriteAllText(System.IO.Path.Combine(Path, "rules.yaml"), rules);
            File.Copy(UnitTests, System.IO.Path.Combine(Path, "alerts.test.yaml"));
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private sealed class RuleFile { [YamlMember(Alias = "groups")] public List<RuleGroup> Groups { get; set; } = []; }

    private sealed class RuleGroup
    {
        [YamlMember(Alias = "name")] public string Name { get; set; } = "";
        [YamlMember(Alias = "rules")] public List<Rule> Rules { get; set; } = [];
    }

    private sealed class Rule
    {
        [YamlMember(Alias = "alert")] public string? Alert { get; set; }
        [YamlMember(Alias = "record")] public string? Record { get; set; }
        [YamlMember(Alias = "expr")] public string Expr { get; set; } = "";
        [YamlMember(Alias = "for")] public string? For { get; set; }
        [YamlMember(Alias = "labels")] public Dictionary<string, string>? Labels { get; set; }
        [YamlMember(Alias = "annotations")] public Dictionary<string, string>? Annotations { get; set; }
    }

    private sealed class UnitTestFile { [YamlMember(Alias = "tests")] public List<UnitTest> Tests { get; set; } = []; }

    private sealed class UnitTest { [YamlMember(Alias = "alert_rule_test")] public List<AlertTest> AlertRuleTest { get; set; } = []; }

    private sealed class AlertTest
    {
        [YamlMember(Alias = "alertname")] public string Alertname { get; set; } = "";
        [YamlMember(Alias = "exp_alerts")] public List<object> ExpAlerts { get; set; } = [];
    }
}
