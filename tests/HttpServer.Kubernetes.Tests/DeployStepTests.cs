using HttpServer.Kubernetes.Tests.Deploy;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// `aspire deploy` and `aspire destroy` without a cluster (none can run here, and no fake API server is used): the exact
/// commands of dry-run, and a clear stop with exit 1 when the tool is missing or no cluster answers.
/// </summary>
public sealed class DeployStepTests : IDisposable
{
    private const string NoImage = "--Kubernetes:Deploy:BuildImage=false";
    private readonly RecordedDeploy _deploy = new();
    private string _output => _deploy.Output;
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");

    [Fact]
    public async Task Deploy_dry_run_prints_server_side_apply_then_one_rollout_wait_per_Deployment_in_the_configured_context()
    {
        var result = await _deploy.RunAsync("ready", NoImage,
            "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Namespace=shop", "--Kubernetes:Deploy:Context=prod");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "KUBECTL --context prod --namespace shop version --request-timeout=10s",
            "KUBECTL --context prod --namespace shop apply --server-side --field-manager=httpserver-deploy -k OUT",
            "KUBECTL --context prod --namespace shop rollout status deployment/backend --timeout=180s",
            "KUBECTL --context prod --namespace shop rollout status deployment/frontend --timeout=180s",
        ], WouldRun(result));
    }

    [Fact]
    public async Task Deploy_dry_run_with_helm_prints_upgrade_install_of_the_chart_then_the_rollout_waits()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Tool=helm",
            $"--Kubernetes:Deploy:Helm={RepositoryPaths.Helm}", "--Kubernetes:Deploy:RolloutTimeoutSeconds=60");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "KUBECTL --namespace default version --request-timeout=10s",
            "HELM upgrade --install httpserver OUT/chart --reset-values --set observability.alerts.enabled=false --set observability.grafana.enabled=false "
                + "--set observability.metrics.enabled=false --set observability.otlp.enabled=false --namespace default",
            "KUBECTL --namespace default rollout status deployment/backend --timeout=60s",
            "KUBECTL --namespace default rollout status deployment/frontend --timeout=60s",
        ], WouldRun(result));
    }

    [Fact]
    public async Task Deploy_with_helm_gives_every_observability_component_its_switch_as_a_value_and_resets_the_last_releases()
    {
        var observability = Path.Combine(_output, "observability");
        var switches = Path.Combine(observability, "kustomization.yaml");
        var text = await File.ReadAllTextAsync(switches);
        await File.WriteAllTextAsync(switches, text.Replace("  # - otlp\n", "  - otlp\n", StringComparison.Ordinal)
            .Replace("  # - metrics\n", "  - metrics\n", StringComparison.Ordinal));

        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Tool=helm",
            $"--Kubernetes:Deploy:Helm={RepositoryPaths.Helm}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("HELM upgrade --install httpserver OUT/chart --reset-values --set observability.alerts.enabled=false "
            + "--set observability.grafana.enabled=false --set observability.metrics.enabled=true --set observability.otlp.enabled=true "
            + "--namespace default", WouldRun(result));
    }

    [Theory]
    [InlineData("kustomize", "KUBECTL --namespace shop delete -k OUT --ignore-not-found --wait=true")]
    [InlineData("helm", "HELM uninstall httpserver --wait --namespace shop")]
    public async Task Destroy_dry_run_deletes_what_deploy_applied_and_not_the_namespace(string tool, string delete)
    {
        var result = await AspireCli.RunStepAsync("destroy", _output, $"--Kubernetes:Deploy:Kubectl={RecordedDeploy.Kubectl}",
            $"--Kubernetes:Deploy:Helm={RepositoryPaths.Helm}", "--Kubernetes:Deploy:DryRun=true", $"--Kubernetes:Deploy:Tool={tool}", "--Kubernetes:Deploy:Namespace=shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["KUBECTL --namespace shop version --request-timeout=10s", delete], WouldRun(result));
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("destroy")]
    public async Task Without_kubectl_it_stops_with_exit_1_and_says_what_to_install(string step)
    {
        var result = await AspireCli.RunStepAsync(step, _output, NoImage, "--Kubernetes:Deploy:Kubectl=/nonexistent/kubectl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/kubectl was not found: install it", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_deploy_tool_is_refused_before_anything_runs()
    {
        var result = await AspireCli.RunStepAsync("deploy", _output, "--Kubernetes:Deploy:Tool=argo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Kubernetes:Deploy:Tool = \"argo\": expected kustomize or helm", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Running: ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_cluster_answering_the_aspire_deploy_command_fails_and_says_nothing_was_changed()
    {
        // A kube context whose API server is a loopback port where nothing listens.
        await File.WriteAllTextAsync(_kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: nobody, user: {token: none}}]
            contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
            current-context: nowhere
            """);

        var result = await AspireCli.RunAsync(["deploy", "-o", _output, NoImage, $"--Kubernetes:Deploy:Kubectl={RepositoryPaths.Kubectl}"],
            new Dictionary<string, string> { ["KUBECONFIG"] = _kubeconfig });

        Assert.NotEqual(0, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("no cluster answers for this kube context", said, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1 was refused", said.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Running: " + RepositoryPaths.Kubectl + " --namespace default apply", said, StringComparison.Ordinal);
    }

    private List<string> WouldRun(ProcessResult result) =>
    [
        .. result.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Would run: ", StringComparison.Ordinal))
            .Select(l => l["Would run: ".Length..].Replace(RecordedDeploy.Kubectl, "KUBECTL", StringComparison.Ordinal)
                .Replace(RepositoryPaths.Helm, "HELM", StringComparison.Ordinal).Replace(_output, "OUT", StringComparison.Ordinal)),
    ];

    public void Dispose()
    {
        _deploy.Dispose();
        File.Delete(_kubeconfig);
    }
}
