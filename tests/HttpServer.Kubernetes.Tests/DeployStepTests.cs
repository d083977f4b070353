using HttpServer.Kubernetes.Tests.Deploy;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// `aspire deploy` and `aspire destroy` without a cluster (none can run here, and no fake API server is used): the exact
/// commands of a dry run, the real path with both tools through the recording kubectl and helm, and a clear stop with
/// exit 1 when the tool is missing, a command fails or no cluster answers. Preflight, the image and TLS: Deploy/.
/// </summary>
public sealed class DeployStepTests : IDisposable
{
    private const string NoImage = "--Kubernetes:Deploy:BuildImage=false";
    private readonly RecordedDeploy _deploy = new();
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");

    [Fact]
    public async Task Deploy_dry_run_prints_the_placeholder_secret_server_side_apply_one_rollout_wait_per_Deployment_and_the_deletions_in_the_configured_context()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Namespace=shop", "--Kubernetes:Deploy:Context=prod");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "KUBECTL --context prod --namespace shop create -f -",
            "KUBECTL --context prod --namespace shop apply --server-side --field-manager=httpserver-deploy --force-conflicts -k OUT",
            "KUBECTL --context prod --namespace shop rollout status deployment/backend --timeout=180s",
            "KUBECTL --context prod --namespace shop rollout status deployment/frontend --timeout=180s",
            "KUBECTL --context prod --namespace shop delete peerauthentication.security.istio.io/httpserver authorizationpolicy.security.istio.io/backend "
                + "networkpolicy.networking.k8s.io/httpserver-mesh networkpolicy.networking.k8s.io/aspire-dashboard prometheusrule.monitoring.coreos.com/httpserver podmonitor.monitoring.coreos.com/httpserver "
                + "httproute.gateway.networking.k8s.io/frontend httproute.gateway.networking.k8s.io/backend gateway.gateway.networking.k8s.io/httpserver "
                + "deployment.apps/backend-canary deployment.apps/aspire-dashboard service/backend-stable service/backend-canary service/aspire-dashboard "
                + "configmap/httpserver-grafana-dashboard --ignore-not-found --wait=true",
        ], WouldRun(result));
        // The renders run, locally; nothing is asked of the cluster (a CRD not known then: its kind is in the deletions).
        Assert.Equal(["kustomize OUT", "kustomize WORK/every-component", "kustomize WORK/no-component"], _deploy.Calls);
    }

    [Fact]
    public async Task Deploy_dry_run_with_helm_prints_upgrade_install_of_the_chart_with_reset_values_then_the_rollout_waits()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Tool=helm",
            "--Kubernetes:Deploy:RolloutTimeoutSeconds=60", "--Kubernetes:CertManagerClusterIssuer=letsencrypt");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "KUBECTL upgrade --install httpserver OUT/chart --reset-values --force-conflicts --namespace default",
            "KUBECTL --namespace default rollout status deployment/backend --timeout=60s",
            "KUBECTL --namespace default rollout status deployment/frontend --timeout=60s",
        ], WouldRun(result));
    }

    [Fact]
    public async Task A_values_file_of_your_own_goes_to_the_helm_render_and_upgrade_and_is_refused_with_kustomize()
    {
        var values = Path.Combine(Directory.CreateTempSubdirectory("own-values-").FullName, "prod-values.yaml");
        await File.WriteAllTextAsync(values, "services:\n  backend: {minReplicas: 3}\n");

        var helm = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Deploy:Tool=helm", $"--Kubernetes:Deploy:ValuesFile={values}");
        var kustomize = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", $"--Kubernetes:Deploy:ValuesFile={values}");

        Assert.True(helm.ExitCode == 0, helm.ToString());
        Assert.Equal($"template httpserver OUT/chart -f {values} --namespace default", Assert.Single(_deploy.Calls));
        Assert.Contains($"KUBECTL upgrade --install httpserver OUT/chart --reset-values --force-conflicts -f {values} --namespace default", WouldRun(helm));
        Assert.Equal(1, kustomize.ExitCode);
        Assert.Contains("a values file is for Tool helm", kustomize.StandardOutput + kustomize.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_Gateway_in_place_of_the_Ingress_deploy_still_makes_the_placeholder_Secret_its_listener_names()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Gateway:Enabled=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("KUBECTL --namespace default create -f -", WouldRun(result));
        Assert.Contains("would create a self-signed placeholder Secret httpserver-tls for httpserver.example.com", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("answers at https://httpserver.example.com/ (the Gateway, class istio,", result.StandardOutput, StringComparison.Ordinal); // not the Ingress
    }

    [Fact]
    public async Task Deploy_waits_for_every_Deployment_the_render_holds_a_canarys_and_the_dashboards_too()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:Deploy:DryRun=true",
            "--Kubernetes:Canaries:backend:Version=1.1.0", "--Kubernetes:Observability:Otlp=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "KUBECTL --namespace default rollout status deployment/aspire-dashboard --timeout=180s",
            "KUBECTL --namespace default rollout status deployment/backend --timeout=180s",
            "KUBECTL --namespace default rollout status deployment/backend-canary --timeout=180s",
            "KUBECTL --namespace default rollout status deployment/frontend --timeout=180s",
        ], WouldRun(result).Where(c => c.Contains(" rollout ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("kustomize", "--namespace shop apply --server-side --field-manager=httpserver-deploy --force-conflicts -k OUT")]
    [InlineData("helm", "upgrade --install httpserver OUT/chart --reset-values --force-conflicts --namespace shop")]
    public async Task Deploy_runs_the_check_the_render_the_questions_the_apply_the_rollout_waits_and_kustomizes_deletions_in_that_order_and_exits_0(string tool, string apply)
    {
        var result = await _deploy.RunAsync("ready", NoImage, $"--Kubernetes:Deploy:Tool={tool}", "--Kubernetes:Deploy:Namespace=shop",
            "--Kubernetes:CertManagerClusterIssuer=letsencrypt");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = _deploy.Calls;
        Assert.Equal("--namespace shop get --raw /version --request-timeout=10s", calls[0]);
        Assert.Equal(tool == "helm" ? "template httpserver OUT/chart --namespace shop" : "kustomize OUT", calls[1]);
        // Preflight's questions; the version is the cluster check's answer, not asked again.
        Assert.Equal(5, calls.Skip(2).TakeWhile(c => c.Contains("--request-timeout=10s", StringComparison.Ordinal)).Count());
        // kustomize: then what the output can hold (two renders and a question per custom kind) for the deletions at the end.
        var deletions = calls.Skip(7).TakeWhile(c => c != apply).ToList();
        Assert.Equal(tool == "helm" ? 0 : 8, deletions.Count);
        Assert.Equal(
        [
            apply,
            "--namespace shop rollout status deployment/backend --timeout=180s",
            "--namespace shop rollout status deployment/frontend --timeout=180s",
        ], calls.Skip(7 + deletions.Count).Take(3));
        Assert.Equal(tool == "helm" ? 10 : 19, calls.Count);
        Assert.Equal(tool != "helm", calls[^1].StartsWith("--namespace shop delete ", StringComparison.Ordinal));
        Assert.Single(calls, c => c.Contains("/version", StringComparison.Ordinal));
        Assert.Contains("deployment successfully rolled out", result.StandardOutput, StringComparison.Ordinal); // the tool's answer, logged
        Assert.Contains("kind: Deployment", _deploy.Applied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_stops_at_the_first_command_that_fails_and_runs_nothing_after_it()
    {
        var result = await _deploy.RunAsync("ready", new Dictionary<string, string> { ["FAIL_ON"] = "apply" }, NoImage,
            "--Kubernetes:CertManagerClusterIssuer=letsencrypt");

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("--namespace default apply --server-side --field-manager=httpserver-deploy --force-conflicts -k OUT", _deploy.Calls[^1], StringComparison.Ordinal);
        Assert.Contains("exited 1: the server rejected it", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destroy_with_helm_uninstalls_the_release_and_not_the_namespace()
    {
        var result = await _deploy.DestroyAsync("ready", "--Kubernetes:Deploy:Tool=helm", "--Kubernetes:Deploy:Namespace=shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["--namespace shop get --raw /version --request-timeout=10s", "uninstall httpserver --wait --namespace shop"], _deploy.Calls);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("destroy")]
    public async Task Without_kubectl_it_stops_with_exit_1_and_says_what_to_install(string step)
    {
        var result = await AspireCli.RunStepAsync(step, _deploy.Output, NoImage, "--Kubernetes:Deploy:Kubectl=/nonexistent/kubectl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/kubectl was not found: install it", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_deploy_tool_is_refused_before_anything_runs()
    {
        var result = await _deploy.RunAsync("ready", "--Kubernetes:Deploy:Tool=argo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Kubernetes:Deploy:Tool = \"argo\": expected kustomize or helm", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_deploy.Calls);
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

        var result = await AspireCli.RunAsync(["deploy", "-o", _deploy.Output, NoImage, $"--Kubernetes:Deploy:Kubectl={RepositoryPaths.Kubectl}"],
            new Dictionary<string, string> { ["KUBECONFIG"] = _kubeconfig });

        Assert.NotEqual(0, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("no cluster answers for this kube context", said, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1 was refused", said.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Running: " + RepositoryPaths.Kubectl + " --namespace default apply", said, StringComparison.Ordinal);
    }

    /// <summary>The dry run's "Would run" lines, with the recording tool and the output folder made plain.</summary>
    private List<string> WouldRun(ProcessResult result) =>
    [
        .. result.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Would run: ", StringComparison.Ordinal))
            .Select(l => l["Would run: ".Length..].Replace(RecordedDeploy.Kubectl, "KUBECTL", StringComparison.Ordinal)).Select(_deploy.Plain),
    ];

    public void Dispose()
    {
        _deploy.Dispose();
        File.Delete(_kubeconfig);
    }
}
