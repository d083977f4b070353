using System.Text.Json;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>One thing the cluster must have: the kubectl query that finds it, how to read the answer, how to get it.</summary>
public sealed record ClusterPrerequisite(string Name, CommandLine Query, Func<CommandAnswer, bool> IsMet, string HowToGet);

/// <summary>
/// Deploy's preflight: the prerequisites the objects about to be applied need, each found by one read-only kubectl
/// query, so that every missing one is named with how to get it before anything is applied (instead of pods or objects
/// failing one by one afterwards). Derived from the objects themselves: a prerequisite is asked for only when an
/// object needs it.
/// </summary>
public static class ClusterPreflight
{
    /// <summary>The preStop <c>sleep</c> action is on by default from Kubernetes 1.30 (beta; alpha gated in 1.29).</summary>
    public static readonly Version SleepActionVersion = new(1, 30);

    /// <summary>CNIs known to enforce NetworkPolicy, by the name of their node DaemonSet, in any namespace (the Tigera operator runs calico-node in calico-system).</summary>
    public static readonly IReadOnlyList<string> PolicyEnforcingCnis = ["calico-node", "cilium", "antrea-agent", "kube-router", "weave-net", "canal", "anetd"];

    public static IReadOnlyList<ClusterPrerequisite> Prerequisites(IEnumerable<object> objects, DeployOptions options)
    {
        var list = objects.ToList();
        var policies = list.OfType<V1NetworkPolicy>().ToList();
        var crds = list.OfType<IKubernetesObject>().Select(RenderedObjects.CustomResourceDefinition).OfType<string>().Distinct(StringComparer.Ordinal);
        return
        [
            new($"namespace {options.Namespace}", Kubectl(options, null, "get", "namespace", options.Namespace, "-o", "name"), Found,
                $"kubectl create namespace {options.Namespace} (deploy does not own the namespace, so destroy leaves it)"),
            .. list.OfType<V1Deployment>().Any(d => d.Spec?.Template?.Spec?.Containers?.Any(c => c.Lifecycle?.PreStop?.Sleep is not null) == true)
                ? [new($"Kubernetes {SleepActionVersion} or later (the preStop sleep action)", DeployCommands.ClusterCheck(options),
                    answer => ServerVersion(answer.Output) >= SleepActionVersion,
                    $"upgrade the cluster to {SleepActionVersion} or later; older ones reject the preStop sleep action")]
                : Array.Empty<ClusterPrerequisite>(),
            .. list.OfType<V1Ingress>().Select(i => i.Spec?.IngressClassName).OfType<string>().Distinct(StringComparer.Ordinal).Select(ingressClass =>
                new ClusterPrerequisite($"IngressClass {ingressClass}", Kubectl(options, null, "get", "ingressclass", ingressClass, "-o", "name"), Found,
                    $"install an ingress controller that serves class {ingressClass} (e.g. ingress-nginx), or set --Kubernetes:IngressClass")),
            .. list.OfType<V2HorizontalPodAutoscaler>().Any()
                ? [new("the metrics API (for the HorizontalPodAutoscaler)",
                    Kubectl(options, null, "get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}"),
                    answer => answer.ExitCode == 0 && answer.Output.Trim() == "True",
                    "install metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml)")]
                : Array.Empty<ClusterPrerequisite>(),
            .. policies.Count > 0
                ? [new("a CNI that enforces NetworkPolicy", Kubectl(options, null, "get", "daemonsets", "--all-namespaces", "-o", "name"),
                    answer => answer.ExitCode == 0 && PolicyEnforcingCnis.Any(cni => answer.Output.Contains($"daemonset.apps/{cni}", StringComparison.Ordinal)),
                    $"use a CNI that enforces NetworkPolicy ({string.Join(", ", PolicyEnforcingCnis)}); without one the policies are silently ignored")]
                : Array.Empty<ClusterPrerequisite>(),
            .. policies.SelectMany(ExternalEgressPeers).Distinct().Select(peer =>
                new ClusterPrerequisite($"pods labelled {peer.Selector} in namespace {peer.Namespace} (the NetworkPolicies' egress to {EgressPeer(peer).What})",
                    Kubectl(options, peer.Namespace, "get", "pods", "-l", peer.Selector, "-o", "name"), Found, EgressPeer(peer).HowToGet)),
            .. crds.Order(StringComparer.Ordinal).Select(crd =>
                new ClusterPrerequisite($"the CustomResourceDefinition {crd}", CrdQuery(options, crd), Found,
                    $"install the CRDs of {crd[(crd.IndexOf('.', StringComparison.Ordinal) + 1)..]} ({CrdSource(crd)}), or switch the component off")),
        ];
    }

    /// <summary>Asks every question, then names every missing prerequisite at once, with how to get it; nothing is applied then.</summary>
    public static async Task RunAsync(DeployRun run, IReadOnlyList<ClusterPrerequisite> prerequisites)
    {
        var missing = new List<ClusterPrerequisite>();
        foreach (var prerequisite in prerequisites)
        {
            if (await run.AskClusterAsync(prerequisite.Query) is { } answer && !prerequisite.IsMet(answer))
            {
                missing.Add(prerequisite);
            }
        }
        if (missing.Count > 0)
        {
            throw new DeployException("the cluster lacks what the manifests need; nothing was applied:\n"
                + string.Join('\n', missing.Select(m => $"  - {m.Name}: {m.HowToGet}")) + "\n(--Kubernetes:Deploy:Preflight=false skips these checks)");
        }
        if (!run.IsDry)
        {
            run.Say($"Preflight: the cluster has all {prerequisites.Count} prerequisites of the manifests");
        }
    }

    /// <summary>The server's version from its <c>/version</c>; minors such as <c>30+</c> (GKE, EKS) count as 30.</summary>
    public static Version? ServerVersion(string json)
    {
        try
        {
            var info = KubernetesJson.Deserialize<VersionInfo>(json);
            return Version.TryParse($"{info.Major}.{info.Minor?.TrimEnd('+')}", out var version) ? version : null;
        }
        catch (JsonException)
        {
            return null; // an error message, not the server's answer
        }
    }

    /// <summary>
    /// Whether the cluster serves the object's kind, so that <c>kubectl delete</c> can name it: a built-in kind always, a
    /// custom resource when its CRD is there (preflight's question, asked once per run; in a dry run, not known: yes).
    /// </summary>
    public static async Task<bool> ServesKindAsync(DeployRun run, DeployOptions options, object item) =>
        item is not IKubernetesObject o || RenderedObjects.CustomResourceDefinition(o) is not { } crd
        || await run.AskClusterAsync(CrdQuery(options, crd)) is not { } answer || Found(answer);

    private static CommandLine CrdQuery(DeployOptions options, string crd) => Kubectl(options, null, "get", "crd", crd, "-o", "name");

    private static bool Found(CommandAnswer answer) => answer.ExitCode == 0 && answer.Output.Trim().Length > 0;

    /// <summary>Egress peers in another namespace named by label (the DNS rule): the pods it names must exist there.</summary>
    private static IEnumerable<(string Namespace, string Selector)> ExternalEgressPeers(V1NetworkPolicy policy) =>
        from rule in policy.Spec?.Egress ?? []
        from peer in rule.To ?? []
        let ns = peer.NamespaceSelector?.MatchLabels is { } labels && labels.TryGetValue("kubernetes.io/metadata.name", out var name) ? name : null
        where ns is not null && peer.PodSelector?.MatchLabels is { Count: > 0 }
        select (ns, string.Join(',', peer.PodSelector!.MatchLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));

    /// <summary>The peers the generator writes, by their upstream labels (CoreDNS's, istiod's); an overlay's own, by their labels only.</summary>
    private static (string What, string HowToGet) EgressPeer((string Namespace, string Selector) peer) => peer.Selector switch
    {
        "k8s-app=kube-dns" => ("DNS", $"label the cluster DNS pods {peer.Selector} in {peer.Namespace} (CoreDNS and kube-dns are by default), or the pods cannot resolve names"),
        "app=istiod" => ("istiod", $"run Istio's control plane (istiod, labelled {peer.Selector} by default) in {peer.Namespace}, or set "
            + "--Kubernetes:Mesh:ControlPlaneNamespace to where it runs; without it the sidecars get no configuration or certificates"),
        _ => ($"pods labelled {peer.Selector}", $"run the pods the NetworkPolicies let the app reach ({peer.Selector}) in {peer.Namespace}, or the app cannot reach them"),
    };

    private static string CrdSource(string crd) => crd switch
    {
        _ when crd.EndsWith(".monitoring.coreos.com", StringComparison.Ordinal) => "the Prometheus Operator, e.g. the kube-prometheus-stack chart",
        _ when crd.EndsWith(".gateway.networking.k8s.io", StringComparison.Ordinal) => "the Gateway API's standard channel, v1.7 or later for the canary route's retry, or your Gateway controller's",
        _ when crd.EndsWith(".istio.io", StringComparison.Ordinal) => "Istio: istioctl install or its base chart",
        _ => "the operator that defines them",
    };

    private static CommandLine Kubectl(DeployOptions options, string? ns, params string[] arguments) =>
        DeployCommands.KubectlIn(options, ns ?? options.Namespace, [.. arguments, "--request-timeout=10s"]);
}
