using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Deploy;

/// <summary>What preflight asks for, derived from the rendered objects, judged on recorded kubectl answers.</summary>
public sealed class ClusterPreflightTests
{
    private static readonly DeployOptions Options = new() { Namespace = "shop" };

    [Fact]
    public async Task The_published_manifests_need_the_namespace_1_30_the_ingress_class_the_metrics_API_a_policy_CNI_and_labelled_DNS()
    {
        var rendered = (await ProcessRunner.RunAsync(RepositoryPaths.Kubectl, ["kustomize", RepositoryPaths.AspirateOutput], TimeSpan.FromMinutes(1)))
            .EnsureSuccess("kubectl kustomize").StandardOutput;

        var names = ClusterPreflight.Prerequisites(RenderedObjects.Parse(rendered), Options).Select(p => p.Name);

        Assert.Equal(
        [
            "namespace shop",
            "Kubernetes 1.30 or later (the preStop sleep action)",
            "IngressClass nginx",
            "the metrics API (for the HorizontalPodAutoscaler)",
            "a CNI that enforces NetworkPolicy",
            "pods labelled k8s-app=kube-dns in namespace kube-system (the NetworkPolicies' egress to DNS)",
        ], names);
    }

    [Fact]
    public void Prometheus_Operator_Gateway_API_and_Istio_objects_need_their_CRDs_and_built_in_kinds_do_not()
    {
        object[] objects =
        [
            new KubernetesObject { ApiVersion = "monitoring.coreos.com/v1", Kind = "PrometheusRule" },
            new KubernetesObject { ApiVersion = "monitoring.coreos.com/v1", Kind = "PodMonitor" },
            new KubernetesObject { ApiVersion = "v1", Kind = "ConfigMap" },
            new KubernetesObject { ApiVersion = "policy/v1", Kind = "PodDisruptionBudget" },
            new KubernetesObject { ApiVersion = "networking.k8s.io/v1", Kind = "IngressClass" },
            new KubernetesObject { ApiVersion = "gateway.networking.k8s.io/v1", Kind = "HTTPRoute" },
            new KubernetesObject { ApiVersion = "security.istio.io/v1", Kind = "PeerAuthentication" },
            new KubernetesObject { ApiVersion = "security.istio.io/v1", Kind = "AuthorizationPolicy" },
            new KubernetesObject { ApiVersion = "telemetry.istio.io/v1", Kind = "Telemetry" },
        ];

        var crds = ClusterPreflight.Prerequisites(objects, Options).Skip(1).Select(p => p.Query.Arguments[4]);

        Assert.Equal(["authorizationpolicies.security.istio.io", "httproutes.gateway.networking.k8s.io", "peerauthentications.security.istio.io",
            "podmonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com", "telemetries.telemetry.istio.io"], crds);
    }

    [Theory]
    [InlineData("""{"major":"1","minor":"29","gitVersion":"v1.29.4"}""", false)]
    [InlineData("""{"major":"1","minor":"30","gitVersion":"v1.30.0"}""", true)]
    [InlineData("""{"major":"1","minor":"31+","gitVersion":"v1.31.2-eks-7f9249a"}""", true)]
    [InlineData("""{"gitVersion":"v1.31.2"}""", false)]
    [InlineData("error: You must be logged in to the server", false)]
    public void The_version_check_reads_the_servers_version_including_minors_like_31_plus(string answer, bool met)
    {
        var check = Check(new V1Deployment { Spec = new() { Template = new() { Spec = new() { Containers = [new() { Name = "app", Lifecycle = new() { PreStop = new() { Sleep = new() { Seconds = 5 } } } }] } } } });

        Assert.Equal(met, check.IsMet(new CommandAnswer(0, answer)));
    }

    [Fact]
    public void The_CNI_check_looks_in_every_namespace_where_the_Tigera_operator_runs_calico_node_in_calico_system()
    {
        var check = Check(new V1NetworkPolicy { Spec = new() { PodSelector = new() } });

        Assert.Equal(["--namespace", "shop", "get", "daemonsets", "--all-namespaces", "-o", "name", "--request-timeout=10s"], check.Query.Arguments);
        Assert.True(check.IsMet(new CommandAnswer(0, "daemonset.apps/calico-typha\ndaemonset.apps/calico-node\ndaemonset.apps/csi-node-driver")));
    }

    [Fact]
    public void Each_egress_peer_is_named_for_what_it_is_DNS_or_istiod()
    {
        V1NetworkPolicyPeer Peer(string ns, string key, string value) => new()
        {
            NamespaceSelector = new() { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } },
            PodSelector = new() { MatchLabels = new Dictionary<string, string> { [key] = value } },
        };
        var policy = new V1NetworkPolicy { Spec = new() { PodSelector = new(), Egress = [new() { To = [Peer("kube-system", "k8s-app", "kube-dns"), Peer("istio-system", "app", "istiod")] }] } };

        var peers = ClusterPreflight.Prerequisites([policy], Options).Where(p => p.Name.StartsWith("pods labelled", StringComparison.Ordinal)).ToList();

        Assert.Equal(["pods labelled k8s-app=kube-dns in namespace kube-system (the NetworkPolicies' egress to DNS)",
            "pods labelled app=istiod in namespace istio-system (the NetworkPolicies' egress to istiod)"], peers.Select(p => p.Name));
        Assert.StartsWith("label the cluster DNS pods k8s-app=kube-dns in kube-system", peers[0].HowToGet, StringComparison.Ordinal);
        Assert.DoesNotContain("DNS", peers[1].HowToGet, StringComparison.Ordinal);
        Assert.Contains("--Kubernetes:Mesh:ControlPlaneNamespace", peers[1].HowToGet, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "daemonset.apps/kube-proxy\ndaemonset.apps/cilium", true)]
    [InlineData(0, "daemonset.apps/kube-proxy\ndaemonset.apps/kindnet", false)]
    [InlineData(1, "", false)]
    public void The_CNI_check_accepts_only_a_known_policy_enforcing_CNI(int exitCode, string answer, bool met)
    {
        var check = Check(new V1NetworkPolicy { Spec = new() { PodSelector = new() } });

        Assert.Equal(met, check.IsMet(new CommandAnswer(exitCode, answer)));
    }

    [Theory]
    [InlineData(0, "ingressclass.networking.k8s.io/traefik", true)]
    [InlineData(1, "", false)]
    public void The_ingress_class_check_asks_for_the_class_the_Ingress_names(int exitCode, string answer, bool met)
    {
        var check = Check(new V1Ingress { Spec = new() { IngressClassName = "traefik" } });

        Assert.Equal(["--namespace", "shop", "get", "ingressclass", "traefik", "-o", "name", "--request-timeout=10s"], check.Query.Arguments);
        Assert.Equal(met, check.IsMet(new CommandAnswer(exitCode, answer)));
    }

    /// <summary>The one check an object adds after the namespace's.</summary>
    private static ClusterPrerequisite Check(object item) => Assert.Single(ClusterPreflight.Prerequisites([item], Options).Skip(1));
}
