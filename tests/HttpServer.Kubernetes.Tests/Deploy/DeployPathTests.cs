using System.Security.Cryptography.X509Certificates;
using System.Text;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Deploy;

/// <summary>
/// Deploy's whole path against recorded kubectl answers (present, missing, too old): the exact commands in their order,
/// every missing prerequisite named at once, nothing applied when one is missing. No cluster runs here, and no API server
/// is faked: what only a real cluster proves is listed in docs/operations.md.
/// </summary>
public sealed class DeployPathTests : IDisposable
{
    private const string NoIssuer = "--Kubernetes:CertManagerClusterIssuer=";
    private const string NoImage = "--Kubernetes:Deploy:BuildImage=false";
    private readonly RecordedDeploy _deploy = new();

    /// <summary>The objects of the components the published output has off (all but production), dependents first.</summary>
    private static readonly string[] OffComponents =
    [
        "peerauthentication.security.istio.io/httpserver", "authorizationpolicy.security.istio.io/backend", "networkpolicy.networking.k8s.io/httpserver-mesh", "networkpolicy.networking.k8s.io/aspire-dashboard",
        "prometheusrule.monitoring.coreos.com/httpserver", "podmonitor.monitoring.coreos.com/httpserver", "httproute.gateway.networking.k8s.io/frontend",
        "httproute.gateway.networking.k8s.io/backend", "gateway.gateway.networking.k8s.io/httpserver", "deployment.apps/backend-canary",
        "deployment.apps/aspire-dashboard", "service/backend-stable", "service/backend-canary", "service/aspire-dashboard", "configmap/httpserver-grafana-dashboard",
    ];

    /// <summary>Their custom kinds, each asked for once, in the order they come.</summary>
    private static readonly string[] OffComponentKinds =
    [
        "peerauthentications.security.istio.io", "authorizationpolicies.security.istio.io", "prometheusrules.monitoring.coreos.com",
        "podmonitors.monitoring.coreos.com", "httproutes.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io",
    ];

    [Fact]
    public async Task On_a_ready_cluster_deploy_checks_renders_asks_creates_the_placeholder_secret_applies_and_waits_in_that_order()
    {
        var result = await _deploy.RunAsync("ready", NoImage, NoIssuer);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "--namespace default get --raw /version --request-timeout=10s",
            "kustomize OUT",
            "--namespace default get namespace default -o name --request-timeout=10s",
            "--namespace default get ingressclass nginx -o name --request-timeout=10s",
            "--namespace default get apiservice v1beta1.metrics.k8s.io -o jsonpath={.status.conditions[?(@.type==\"Available\")].status} --request-timeout=10s",
            "--namespace default get daemonsets --all-namespaces -o name --request-timeout=10s",
            "--namespace kube-system get pods -l k8s-app=kube-dns -o name --request-timeout=10s",
            "kustomize WORK/every-component",
            .. OffComponentKinds.Select(crd => $"--namespace default get crd {crd} -o name --request-timeout=10s"),
            "kustomize WORK/no-component",
            "--namespace default get secret httpserver-tls -o name --ignore-not-found",
            "--namespace default create -f -",
            "--namespace default apply --server-side --field-manager=httpserver-deploy --force-conflicts -k OUT",
            "--namespace default rollout status deployment/backend --timeout=180s",
            "--namespace default rollout status deployment/frontend --timeout=180s",
            $"--namespace default delete {string.Join(' ', OffComponents)} --ignore-not-found --wait=true",
        ], _deploy.Calls);
        Assert.Contains("Preflight: the cluster has all 6 prerequisites of the manifests", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("created a self-signed placeholder Secret httpserver-tls for httpserver.example.com", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_component_switched_off_after_a_deploy_with_it_on_has_its_objects_deleted_after_the_apply_and_the_rollouts()
    {
        string[] canary = ["httproute.gateway.networking.k8s.io/backend", "deployment.apps/backend-canary", "service/backend-stable", "service/backend-canary"];
        var on = await _deploy.RunAsync("ready", NoImage, NoIssuer, "--Kubernetes:Canaries:backend:Version=1.1.0");
        Assert.True(on.ExitCode == 0, on.ToString());
        Assert.DoesNotContain(Deleted(), canary.Contains); // applied, so kept
        // The route's CRD: asked by preflight for the apply, and its answer reused for the deletions (the gateway's routes).
        Assert.Single(_deploy.Calls, c => c.Contains(" get crd httproutes.gateway.networking.k8s.io ", StringComparison.Ordinal));
        File.Delete(Path.Combine(_deploy.Records, "calls"));

        var off = await _deploy.RunAsync("ready", NoImage, NoIssuer);

        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.Equal(OffComponents, Deleted()); // the canary's among them: its route no longer sends a share to backend-canary
        Assert.Contains("rollout status deployment/frontend", _deploy.Calls[^2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_gateway_switched_on_deploy_deletes_the_Ingress_it_replaces_and_keeps_the_Gateway_and_its_route()
    {
        var result = await _deploy.RunAsync("ready", NoImage, NoIssuer, "--Kubernetes:Gateway:Enabled=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ingress.networking.k8s.io/frontend", Deleted()[^1]);
        Assert.DoesNotContain(Deleted(), d => d.StartsWith("gateway.", StringComparison.Ordinal) || d == "httproute.gateway.networking.k8s.io/frontend");
    }

    [Fact]
    public async Task A_kind_whose_CRD_the_cluster_lacks_is_left_out_of_the_delete_that_kubectl_would_refuse_whole()
    {
        var result = await _deploy.RunAsync("plain", NoImage, NoIssuer);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
        [
            "networkpolicy.networking.k8s.io/httpserver-mesh", "networkpolicy.networking.k8s.io/aspire-dashboard", "deployment.apps/backend-canary", "deployment.apps/aspire-dashboard",
            "service/backend-stable", "service/backend-canary", "service/aspire-dashboard", "configmap/httpserver-grafana-dashboard",
        ], Deleted());
        Assert.All(OffComponentKinds, crd => Assert.Single(_deploy.Calls, c => c.Contains($" get crd {crd} ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("ready")]
    [InlineData("plain")]
    public async Task Destroy_deletes_everything_the_output_can_hold_whichever_components_were_on_of_the_kinds_the_cluster_serves(string cluster)
    {
        var result = await _deploy.DestroyAsync(cluster, "--Kubernetes:Deploy:Namespace=shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["kustomize WORK/every-component", "kustomize WORK/no-component"], _deploy.Calls.Where(c => c.StartsWith("kustomize ", StringComparison.Ordinal)));
        var deleted = Deleted();
        Assert.Equal(deleted.Distinct(), deleted);
        // What a deploy of the output as published applies, and what the components switched off there hold.
        var published = (await ProcessRunner.RunAsync(RepositoryPaths.Kubectl, ["kustomize", _deploy.Output], TimeSpan.FromMinutes(1))).EnsureSuccess("kubectl kustomize").StandardOutput;
        Assert.All(RenderedObjects.Parse(published).Select(RenderedObjects.Reference), o => Assert.Contains(o, deleted));
        Assert.Contains("ingress.networking.k8s.io/frontend", deleted);
        Assert.Contains("deployment.apps/backend-canary", deleted);
        Assert.Equal(cluster == "ready", deleted.Contains("httproute.gateway.networking.k8s.io/backend"));
        Assert.EndsWith(" --ignore-not-found --wait=true", _deploy.Calls[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_placeholder_is_a_tls_Secret_self_signed_for_the_ingress_host_whose_key_reaches_kubectl_only_on_stdin()
    {
        var result = await _deploy.RunAsync("ready", NoImage, NoIssuer, "--Kubernetes:IngressHost=shop.example.org");

        Assert.True(result.ExitCode == 0, result.ToString());
        var secret = KubernetesJson.Deserialize<V1Secret>(await File.ReadAllTextAsync(Path.Combine(_deploy.Records, "created.json")));
        Assert.Equal(("httpserver-tls", "kubernetes.io/tls"), (secret.Metadata.Name, secret.Type));
        using var certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(secret.Data["tls.crt"]), Encoding.UTF8.GetString(secret.Data["tls.key"]));
        Assert.True(certificate.HasPrivateKey); // the key is the certificate's
        Assert.True(certificate.MatchesHostname("shop.example.org"), certificate.ToString());
        Assert.False(certificate.MatchesHostname("httpserver.example.com"), certificate.ToString());
        Assert.Equal(certificate.Issuer, certificate.Subject);
        Assert.Contains("--namespace default create -f -", _deploy.Calls); // no file named: nothing of the key on disk
    }

    [Fact]
    public async Task With_a_cert_manager_issuer_named_deploy_leaves_the_tls_secret_to_cert_manager()
    {
        var result = await _deploy.RunAsync("ready", NoImage, "--Kubernetes:CertManagerClusterIssuer=letsencrypt");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(_deploy.Calls, c => c.Contains("secret", StringComparison.Ordinal) || c.Contains(" create ", StringComparison.Ordinal));
        Assert.Contains("Secret httpserver-tls is left to cert-manager", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_bare_cluster_deploy_names_every_missing_prerequisite_with_how_to_get_it_and_applies_nothing()
    {
        var result = await _deploy.RunAsync("bare", NoImage, NoIssuer);

        Assert.Equal(1, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("the cluster lacks what the manifests need; nothing was applied", said, StringComparison.Ordinal);
        Assert.Contains("namespace default: kubectl create namespace default", said, StringComparison.Ordinal);
        Assert.Contains("IngressClass nginx: install an ingress controller", said, StringComparison.Ordinal);
        Assert.Contains("the metrics API (for the HorizontalPodAutoscaler): install metrics-server", said, StringComparison.Ordinal);
        Assert.Contains("a CNI that enforces NetworkPolicy: use a CNI", said, StringComparison.Ordinal);
        Assert.Contains("pods labelled k8s-app=kube-dns in namespace kube-system", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Kubernetes 1.30 or later", said, StringComparison.Ordinal);
        Assert.DoesNotContain(_deploy.Calls, c => c.Contains(" apply ", StringComparison.Ordinal) || c.Contains(" create ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_Kubernetes_1_29_deploy_stops_because_the_preStop_sleep_action_needs_1_30()
    {
        var result = await _deploy.RunAsync("old", NoImage, NoIssuer);

        Assert.Equal(1, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("Kubernetes 1.30 or later (the preStop sleep action): upgrade the cluster", said, StringComparison.Ordinal);
        Assert.DoesNotContain("IngressClass nginx:", said, StringComparison.Ordinal);
        Assert.DoesNotContain(_deploy.Calls, c => c.Contains(" apply ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preflight_false_skips_the_questions_and_applies_on_a_bare_cluster_deleting_only_the_kinds_it_serves()
    {
        var result = await _deploy.RunAsync("bare", NoImage, NoIssuer, "--Kubernetes:Deploy:Preflight=false");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(_deploy.Calls, c => c.Contains(" get namespace ", StringComparison.Ordinal) || c.Contains(" get ingressclass ", StringComparison.Ordinal));
        Assert.Contains(_deploy.Calls, c => c.Contains(" apply ", StringComparison.Ordinal));
        // The deletions still ask for the custom kinds: kubectl refuses a delete that names a kind the cluster does not serve.
        Assert.Equal(OffComponentKinds.Length, _deploy.Calls.Count(c => c.Contains(" get crd ", StringComparison.Ordinal)));
        Assert.DoesNotContain(Deleted(), d => d.Contains(".istio.io/", StringComparison.Ordinal) || d.Contains("gateway.networking.k8s.io/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_prints_the_build_the_questions_and_the_apply_and_asks_the_cluster_nothing()
    {
        var result = await _deploy.RunAsync("ready", NoIssuer, "--Kubernetes:Deploy:DryRun=true", "--Kubernetes:Registry=registry.example.org/shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["kustomize OUT", "kustomize WORK/every-component", "kustomize WORK/no-component"], _deploy.Calls); // local renders only
        Assert.Contains("Would ask: " + RecordedDeploy.Kubectl + " --namespace default get ingressclass nginx -o name", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Would run: dotnet publish ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("-p:ContainerRegistry=registry.example.org -p:ContainerRepository=shop/httpserver-api", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Would run: " + RecordedDeploy.Kubectl + " --namespace default create -f -", result.StandardOutput, StringComparison.Ordinal);
        // The apply a real run makes: deploy's overlay, with the pushed digest still to come.
        Assert.Contains("--force-conflicts -k WORK", _deploy.Plain(result.StandardOutput), StringComparison.Ordinal);
        Assert.Contains($"httpserver-api@{ImageDelivery.DryRunDigest}", await File.ReadAllTextAsync(Path.Combine(_deploy.Work, "kustomization.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_registry_deploy_stops_before_asking_anything_and_says_how_to_load_the_image_instead()
    {
        var result = await _deploy.RunAsync("ready", NoIssuer);

        Assert.Equal(1, result.ExitCode);
        var said = result.StandardOutput + result.StandardError;
        Assert.Contains("no registry to push the image to: name one with --Kubernetes:Registry=HOST[:PORT][/PATH]", said, StringComparison.Ordinal);
        Assert.Contains("`kind load docker-image httpserver-api:1.0.0` (or `minikube image load httpserver-api:1.0.0`)", said, StringComparison.Ordinal);
        // The model's own project, however it is named: the command builds the image the manifests run.
        Assert.Contains($"`dotnet publish {Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj")} -c Release -t:PublishContainer`", said, StringComparison.Ordinal);
        Assert.Empty(_deploy.Calls);
    }

    /// <summary>The objects the last call deleted: deploy's last command, when it deletes.</summary>
    private List<string> Deleted() => _deploy.Calls[^1].Split(' ') is [_, _, "delete", .. var words] ? [.. words.Where(w => !w.StartsWith("--", StringComparison.Ordinal))] : [];

    public void Dispose() => _deploy.Dispose();
}
