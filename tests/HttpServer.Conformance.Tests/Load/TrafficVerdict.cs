namespace HttpServer.Conformance.Tests.Load;

/// <summary>
/// How the requests sent to one pod around its termination ended, judged as a client behind the Service
/// would live them. At deletion the endpoints controller marks the pod not ready; load balancers (kube-proxy,
/// ingress) stop opening connections to it within <see cref="EndpointPropagation"/>. Until then every request
/// must succeed; a connection refused after that is "endpoint removed" (no client would have sent it), not a failure.
/// </summary>
public sealed record TrafficVerdict(
    int Sent, int Succeeded, int Failed, int EndpointRemoved, int FailedBeforeUnready, IReadOnlyList<RequestRecord> Failures)
{
    /// <summary>An assumption, not a Kubernetes guarantee: iptables syncs and ingress reloads usually land within it.</summary>
    public static readonly TimeSpan EndpointPropagation = TimeSpan.FromSeconds(2);

    /// <param name="records">The requests sent to the pod.</param>
    /// <param name="unreadyAt">When the pod stopped being a ready endpoint (its deletion).</param>
    public static TrafficVerdict Judge(IReadOnlyList<RequestRecord> records, DateTime unreadyAt)
    {
        var removedAt = unreadyAt + EndpointPropagation;
        var endpointRemoved = records.Count(r => r.Outcome == Outcome.Refused && r.SentAt >= removedAt);
        var failures = records.Where(r => r.Outcome == Outcome.Failed || (r.Outcome == Outcome.Refused && r.SentAt < removedAt)).ToList();
        return new TrafficVerdict(
            records.Count,
            records.Count(r => r.Outcome == Outcome.Succeeded),
            failures.Count,
            endpointRemoved,
            failures.Count(r => r.SentAt < unreadyAt),
            failures);
    }

    public string Describe(int max = 10) => string.Join("\n", Failures.Take(max)
        .Select(f => $"{f.SentAt:HH:mm:ss.fff} {f.Path} -> {f.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? f.Error}"));
}
