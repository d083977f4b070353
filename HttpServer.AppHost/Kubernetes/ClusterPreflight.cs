using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>What a command printed and how it ended: a recorded answer is enough to judge a prerequisite.</summary>
public sealed record CommandAnswer(int ExitCode, string Output, string Errors = "");

/// <summary>One thing the cluster must have: the kubectl query that finds it, how to read the answer, how to get it.</summary>
public sealed record ClusterPrerequisite(string Name, CommandLine Query, Func<CommandAnswer, bool> IsMet, string HowToGet);

/// <summary>
/// Deploy's preflight: the prerequisites the objects about to be applied need, each found by one read-only kubectl
/// query, so that a missing one is named with how to get it before anything is applied (instead of pods or objects
/// failing one by one afterwards). Derived from the objects themselves: a prerequisite is asked for only when an
/// object needs it.
/// </summary>
public static class ClusterPreflight
{
    /// <summary>The preStop <c>sleep</c> action is on by default from Kubernetes 1.30 (beta; alpha gated in 1.29).</summary>
    public static readonly Version SleepActionVersion = new(1, 30);

    /// <summary>CNIs known to enforce NetworkPolicy, by the name of their node DaemonSet in kube-system.</summary>
    public static readonly IReadOnlyList<string> PolicyEnforcingCnis = ["calico-node", "cilium", "antrea-agent", "kube-router", "weave-net", "canal", "anetd"];

    public static IReadOnlyList<ClusterPrerequisite> Prerequisites(IEnumerable<object> objects, DeployOptions options)
    {
        var list = objects.ToList();
        var checks = new List<ClusterPrerequisite>
        {
            new($"namespace {options.Namespace}", Kubectl(options, null, "get", "namespace", options.Namespace, "-o", "name"), Found,
                $"kubectl create namespace {options.Namespace} (deploy does not own the namespace, so destroy leaves it)"),
        };
        if (list.OfType<V1Deployment>().Any(UsesSleepAction))
        {
            checks.Add(new($"Kubernetes {SleepActionVersion} or later (the preStop sleep action)", Kubectl(options, null, "version", "-o", "json"),
                answer => ServerVersion(answer.Output) >= SleepActionVersion,
                $"upgrade the cluster to {SleepActionVersion} or later; older ones reject the preStop sleep action"));
        }
        foreach (var ingressClass in list.OfType<V1Ingress>().Select(i => i.Spec?.IngressClassName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            checks.Add(new($"IngressClass {ingressClass}", Kubectl(options, null, "get", "ingressclass", ingressClass, "-o", "name"), Found,
                $"install an ingress controller that serves class {ingressClass} (e.g. ingress-nginx), or set --Kubernetes:IngressClass"));
        }
        if (list.OfType<V2HorizontalPodAutoscaler>().Any())
        {
            checks.Add(new("the metrics API (for the HorizontalPodAutoscaler)",
                Kubectl(options, null, "get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}"),
                answer => answer.ExitCode == 0 && answer.Output.Trim() == "True",
                "install metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml)"));
        }
        var policies = list.OfType<V1NetworkPolicy>().ToList();
        if (policies.Count > 0)
        {
            checks.Add(new("a CNI that enforces NetworkPolicy", Kubectl(options, "kube-system", "get", "daemonsets", "-o", "name"),
                answer => answer.ExitCode == 0 && PolicyEnforcingCnis.Any(cni => answer.Output.Contains($"daemonset.apps/{cni}", StringComparison.Ordinal)),
                $"use a CNI that enforces NetworkPolicy ({string.Join(", ", PolicyEnforcingCnis)}); without one the policies are silently ignored"));
        }
        foreach (var (ns, selector) in policies.SelectMany(ExternalEgressPeers).Distinct())
        {
            checks.Add(new($"pods labelled {selector} in namespace {ns} (the NetworkPolicies' egress to DNS)",
                Kubectl(options, ns, "get", "pods", "-l", selector, "-o", "name"), answer => answer.ExitCode == 0 && answer.Output.Trim().Length > 0,
                $"label the cluster DNS pods {selector} in {ns} (CoreDNS and kube-dns are by default), or the pods cannot resolve names"));
        }
        foreach (var crd in list.OfType<IKubernetesObject>().Select(CustomResourceDefinition).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            checks.Add(new($"the CustomResourceDefinition {crd}", Kubectl(options, null, "get", "crd", crd, "-o", "name"), Found,
                $"install the CRDs of {crd[(crd.IndexOf('.', StringComparison.Ordinal) + 1)..]} ({CrdSource(crd)}), or switch the component off"));
        }
        return checks;
    }

    /// <summary>The server's version from <c>kubectl version -o json</c>; minors such as <c>30+</c> (GKE, EKS) count as 30.</summary>
    public static Version? ServerVersion(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("serverVersion", out var server))
            {
                return null;
            }
            static int Number(JsonElement element, string name) =>
                int.Parse(new string([.. (element.GetProperty(name).GetString() ?? "").TakeWhile(char.IsAsciiDigit)]), CultureInfo.InvariantCulture);
            return new Version(Number(server, "major"), Number(server, "minor"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool Found(CommandAnswer answer) => answer.ExitCode == 0 && answer.Output.Trim().Length > 0;

    private static bool UsesSleepAction(V1Deployment deployment) =>
        deployment.Spec?.Template?.Spec?.Containers?.Any(c => c.Lifecycle?.PreStop?.Sleep is not null) == true;

    /// <summary>Egress peers in another namespace named by label (the DNS rule): the pods it names must exist there.</summary>
    private static IEnumerable<(string Namespace, string Selector)> ExternalEgressPeers(V1NetworkPolicy policy) =>
        from rule in policy.Spec?.Egress ?? []
        from peer in rule.To ?? []
        let ns = peer.NamespaceSelector?.MatchLabels is { } labels && labels.TryGetValue("kubernetes.io/metadata.name", out var name) ? name : null
        where ns is not null && peer.PodSelector?.MatchLabels is { Count: > 0 }
        select (ns, string.Join(',', peer.PodSelector!.MatchLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));

    /// <summary>
    /// <c>podmonitors.monitoring.coreos.com</c> for a PodMonitor: any object outside the built-in API groups (no dot, or
    /// <c>*.k8s.io</c>); the Gateway API is a <c>k8s.io</c> group that clusters install as CRDs all the same.
    /// </summary>
    private static string? CustomResourceDefinition(IKubernetesObject resource)
    {
        var group = resource.ApiVersion?.Split('/') is [var g, _] ? g : null;
        var builtIn = group is null || !group.Contains('.', StringComparison.Ordinal)
            || (group.EndsWith(".k8s.io", StringComparison.Ordinal) && group != "gateway.networking.k8s.io");
        return builtIn ? null : $"{resource.Kind.ToLowerInvariant()}s.{group}";
    }

    private static string CrdSource(string crd) => crd switch
    {
        _ when crd.EndsWith(".monitoring.coreos.com", StringComparison.Ordinal) => "the Prometheus Operator, e.g. the kube-prometheus-stack chart",
        _ when crd.EndsWith(".gateway.networking.k8s.io", StringComparison.Ordinal) => "the Gateway API's standard channel, or your Gateway controller",
        _ when crd.EndsWith(".istio.io", StringComparison.Ordinal) => "Istio: istioctl install or its base chart",
        _ => "the operator that defines them",
    };

    private static CommandLine Kubectl(DeployOptions options, string? ns, params string[] arguments) =>
        DeployCommands.KubectlIn(options, ns ?? options.Namespace, [.. arguments, "--request-timeout=10s"]);
}
