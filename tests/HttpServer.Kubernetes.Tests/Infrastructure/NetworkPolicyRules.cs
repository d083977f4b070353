using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// What a NetworkPolicy allows between pods of its own namespace, read the way the API defines it: a rule matches
/// when one of its peers selects the pod (matchLabels a subset of the pod's labels) and one of its ports is the port
/// (or it names no port). Peers with a namespace selector or an IP block are not pods of the namespace: they never match.
/// </summary>
internal static class NetworkPolicyRules
{
    public static bool Selects(V1NetworkPolicy policy, IDictionary<string, string> podLabels) =>
        Matches(policy.Spec.PodSelector, podLabels);

    public static bool EgressAllows(V1NetworkPolicy policy, IDictionary<string, string> to, int port) =>
        (policy.Spec.Egress ?? []).Any(rule => Allows(rule.To, rule.Ports, to, port));

    public static bool IngressAdmits(V1NetworkPolicy policy, IDictionary<string, string> from, int port) =>
        (policy.Spec.Ingress ?? []).Any(rule => Allows(rule.FromProperty, rule.Ports, from, port));

    private static bool Allows(IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports, IDictionary<string, string> pod, int port) =>
        (peers ?? []).Any(peer => peer.NamespaceSelector is null && peer.IpBlock is null && Matches(peer.PodSelector, pod))
        && (ports is null || ports.Count == 0 || ports.Any(p => p.Port?.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels)
    {
        Assert.True(selector?.MatchExpressions is null or { Count: 0 }, "matchExpressions are not read by this test");
        return selector is not null && (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(required => labels.TryGetValue(required.Key, out var value) && value == required.Value);
    }
}
