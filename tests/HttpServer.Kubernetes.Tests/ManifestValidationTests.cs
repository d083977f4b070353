using System.Text.Json;
using System.Text.RegularExpressions;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// Offline schema and policy checks of the rendered manifests with npm's kubernetes-models and
/// @monokle/validation (Pod Security "restricted" PSS201-206, resources KBP002-005); see Validation/.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed partial class ManifestValidationTests(RenderedManifestsFixture rendered)
{
    [Fact]
    public async Task Rendered_manifests_pass_the_schema_and_the_restricted_Pod_Security_checks()
    {
        var report = await ValidateAsync(rendered.Manifests.Yaml);
        Assert.Equal(rendered.Manifests.Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
    }

    [Fact]
    public async Task The_validators_reject_a_pod_without_security_settings_and_resources()
    {
        // Control: the same manifests with root, no security settings, no resources and a hostPath must fail each rule.
        var weakened = SecurityAndResourceLines().Replace(rendered.Manifests.Yaml, "").Replace("runAsUser: 1654", "runAsUser: 0", StringComparison.Ordinal);
        weakened = weakened.Replace("emptyDir:\n          sizeLimit: 64Mi", "hostPath:\n          path: /tmp", StringComparison.Ordinal);
        var report = await ValidateAsync(weakened);
        string[] expected = ["PSS201", "PSS202", "PSS203", "PSS204", "PSS205", "PSS206", "KBP002", "KBP003", "KBP004", "KBP005"];
        Assert.All(expected, rule => Assert.Contains(report.PolicyErrors, e => e.StartsWith(rule + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_wrong_enum_value()
    {
        var broken = rendered.Manifests.Yaml.Replace("type: RollingUpdate", "type: Sometimes", StringComparison.Ordinal);
        var report = await ValidateAsync(broken);
        Assert.Contains(report.SchemaErrors, e => e.StartsWith("Deployment/", StringComparison.Ordinal));
    }

    internal static async Task<ValidationReport> ValidateAsync(string rendered)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rendered-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, rendered);
        try
        {
            // Custom resources (the observability components' PodMonitor, PrometheusRule) need the CRD models, which need Node 22.
            var result = CustomResourceGroup().IsMatch(rendered)
                ? await ProcessRunner.RunAsync(KubernetesTools.Node22, [KubernetesTools.ValidatorScript, KubernetesTools.NodeModules, file, KubernetesTools.CrdModules], TimeSpan.FromMinutes(2))
                : await ProcessRunner.RunAsync(KubernetesTools.Node, [KubernetesTools.ValidatorScript, KubernetesTools.NodeModules, file], TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, $"The validator failed: {result}");
            return JsonSerializer.Deserialize<ValidationReport>(result.StandardOutput, JsonOptions)
                ?? throw new InvalidOperationException($"No report: {result}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"apiVersion: (monitoring\.coreos\.com|gateway\.networking\.k8s\.io|security\.istio\.io|telemetry\.istio\.io)/")]
    private static partial Regex CustomResourceGroup();

    [GeneratedRegex(@"^ *(runAsNonRoot|allowPrivilegeEscalation|readOnlyRootFilesystem|cpu|memory): .*\n|^ *seccompProfile:\n *type: RuntimeDefault\n|^ *- ALL\n", RegexOptions.Multiline)]
    private static partial Regex SecurityAndResourceLines();

    internal sealed record ValidationReport(int Objects, List<string> SchemaErrors, List<string> PolicyErrors);
}
