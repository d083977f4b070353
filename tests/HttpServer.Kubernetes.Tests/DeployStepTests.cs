using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// `aspire deploy` and `aspire destroy` without a cluster (none can run here, and no fake API server is used): the exact
/// commands of dry-run, the real path against kubectl and helm stand-ins that record what they are asked, and a clear stop
/// with exit 1 when the tool is missing, a command fails or no cluster answers.
/// </summary>
public sealed class DeployStepTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"aspire-deploy-{Guid.NewGuid():N}");
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
    private readonly string _tools = Path.Combine(Path.GetTempPath(), $"recording-tools-{Guid.NewGuid():N}");

    [Fact]
    public async Task Deploy_dry_run_prints_server_side_apply_then_one_rollout_wait_per_Deployment_in_the_configured_context()
    {
        var result = await AspireCli.RunStepAsync("deploy", _output,
            "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Namespace=shop", "--Kubernetes:Deploy:Context=prod");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "kubectl --context prod --namespace shop version --request-timeout=10s",
            $"kubectl --context prod --namespace shop apply --server-side --field-manager=httpserver-deploy -k {_output}",
            "kubectl --context prod --namespace shop rollout status deployment/backend --timeout=180s",
            "kubectl --context prod --namespace shop rollout status deployment/frontend --timeout=180s",
        ], WouldRun(result));
    }

    [Fact]
    public async Task Deploy_dry_run_with_helm_prints_upgrade_install_of_the_chart_then_the_rollout_waits()
    {
        var result = await AspireCli.RunStepAsync("deploy", _output,
            "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Tool=helm", "--Kubernetes:Deploy:RolloutTimeoutSeconds=60");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "kubectl --namespace default version --request-timeout=10s",
            $"helm upgrade --install httpserver {_output}/chart --reset-values --namespace default",
            "kubectl --namespace default rollout status deployment/backend --timeout=60s",
            "kubectl --namespace default rollout status deployment/frontend --timeout=60s",
        ], WouldRun(result));
    }

    [Theory]
    [InlineData("kustomize")]
    [InlineData("helm")]
    public async Task Deploy_runs_the_cluster_check_the_apply_and_one_rollout_wait_per_Deployment_in_that_order_and_exits_0(string tool)
    {
        var (kubectl, helm, log) = RecordingTools();

        var result = await AspireCli.RunStepAsync("deploy", _output, $"--Kubernetes:Deploy:Kubectl={kubectl}", $"--Kubernetes:Deploy:Helm={helm}",
            $"--Kubernetes:Deploy:Tool={tool}", "--Kubernetes:Deploy:Namespace=shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "kubectl --namespace shop version --request-timeout=10s",
            tool == "helm"
                ? $"helm upgrade --install httpserver {_output}/chart --reset-values --namespace shop"
                : $"kubectl --namespace shop apply --server-side --field-manager=httpserver-deploy -k {_output}",
            "kubectl --namespace shop rollout status deployment/backend --timeout=180s",
            "kubectl --namespace shop rollout status deployment/frontend --timeout=180s",
        ], await File.ReadAllLinesAsync(log));
        Assert.Contains("deployment successfully rolled out", result.StandardOutput, StringComparison.Ordinal); // the tool's answer, logged
        Assert.True(File.Exists(Path.Combine(_output, "kustomization.yaml")), "deploy applied an output that publish did not write");
    }

    [Fact]
    public async Task Deploy_stops_at_the_first_command_that_fails_and_runs_nothing_after_it()
    {
        var (kubectl, helm, log) = RecordingTools(failOn: "apply");

        var result = await AspireCli.RunStepAsync("deploy", _output, $"--Kubernetes:Deploy:Kubectl={kubectl}", $"--Kubernetes:Deploy:Helm={helm}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["kubectl --namespace default version --request-timeout=10s",
            $"kubectl --namespace default apply --server-side --field-manager=httpserver-deploy -k {_output}"], await File.ReadAllLinesAsync(log));
        Assert.Contains("exited 1: the server rejected it", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// kubectl and helm stand-ins for the real path (no cluster can run here, and no fake API server is used): each records
    /// its arguments in a log and answers as the tool does, exiting 0 (or 1 on <paramref name="failOn"/>).
    /// </summary>
    private (string Kubectl, string Helm, string Log) RecordingTools(string failOn = "nothing-fails")
    {
        var folder = Directory.CreateDirectory(_tools).FullName;
        var log = Path.Combine(folder, "commands.log");
        foreach (var tool in new[] { "kubectl", "helm" })
        {
            var script = Path.Combine(folder, tool);
            File.WriteAllText(script, $$"""
                #!/usr/bin/env bash
                echo "{{tool}} $*" >> '{{log}}'
                case " $* " in
                  *" {{failOn}} "*) echo "the server rejected it" >&2; exit 1 ;;
                  *" version "*) echo "Client Version: v1.35.2"; echo "Server Version: v1.35.0" ;;
                  *" apply "*) echo "deployment.apps/backend serverside-applied" ;;
                  *" rollout status "*) echo "deployment successfully rolled out" ;;
                  *" upgrade --install "*) echo "Release "httpserver" has been upgraded. Happy Helming!" ;;
                  *" delete "*|*" uninstall "*) echo "deleted" ;;
                esac
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        return (Path.Combine(folder, "kubectl"), Path.Combine(folder, "helm"), log);
    }

    [Theory]
    [InlineData("kustomize", "kubectl --namespace shop delete -k {0} --ignore-not-found --wait=true")]
    [InlineData("helm", "helm uninstall httpserver --wait --namespace shop")]
    public async Task Destroy_dry_run_deletes_what_deploy_applied_and_not_the_namespace(string tool, string delete)
    {
        var result = await AspireCli.RunStepAsync("destroy", _output,
            "--Kubernetes:Deploy:DryRun=true", $"--Kubernetes:Deploy:Tool={tool}", "--Kubernetes:Deploy:Namespace=shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["kubectl --namespace shop version --request-timeout=10s", string.Format(null, delete, _output)], WouldRun(result));
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("destroy")]
    public async Task Without_kubectl_it_stops_with_exit_1_and_says_what_to_install(string step)
    {
        var result = await AspireCli.RunStepAsync(step, _output, "--Kubernetes:Deploy:Kubectl=/nonexistent/kubectl");

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

        var result = await AspireCli.RunAsync(["deploy", "-o", _output, $"--Kubernetes:Deploy:Kubectl={RepositoryPaths.Kubectl}"],
            new Dictionary<string, string> { ["KUBECONFIG"] = _kubeconfig });

        Assert.NotEqual(0, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("no cluster answers for this kube context", said, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1 was refused", said.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Running: " + RepositoryPaths.Kubectl + " --namespace default apply", said, StringComparison.Ordinal);
    }

    private static List<string> WouldRun(ProcessResult result) =>
        [.. result.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Would run: ", StringComparison.Ordinal)).Select(l => l["Would run: ".Length..])];

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
        File.Delete(_kubeconfig);
        if (Directory.Exists(_tools))
        {
            Directory.Delete(_tools, recursive: true);
        }
    }
}
