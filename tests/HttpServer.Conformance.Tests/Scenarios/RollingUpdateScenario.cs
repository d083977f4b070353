using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Load;
using HttpServer.Conformance.Tests.Manifests;

namespace HttpServer.Conformance.Tests.Scenarios;

public sealed record RolloutRun(
    int MaxSurge, string OldVersion, string NewVersion, IReadOnlyList<RequestRecord> Requests,
    IReadOnlyList<Termination> Terminations, IReadOnlyList<TimeSpan> TimesToReady, int Reloads)
{
    public IReadOnlyList<RequestRecord> Failures => [.. Requests.Where(r => r.Outcome != Outcome.Succeeded)];

    /// <summary>The VERSION headers in the order the responses were sent.</summary>
    public IReadOnlyList<string> Versions => [.. Requests.Where(r => r.Version is not null).Select(r => r.Version!)];
}

/// <summary>
/// The Deployment controller's RollingUpdate with maxUnavailable 0: two ready replicas behind nginx; for each
/// batch of maxSurge old pods a new pod (a new VERSION) starts, the kubelet marks it ready, it joins the
/// balancer, and only then the old pod is deleted (endpoint removed after propagation, kubelet termination).
/// </summary>
public static class RollingUpdateScenario
{
    public const int Replicas = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<RolloutRun> RunAsync(PodTemplate template, int maxSurge, PodOptions options)
    {
        var oldVersion = template.Setting("VERSION") ?? "unknown";
        var newRevision = options with
        {
            Revision = "rev2",
            Configuration = new Dictionary<string, string>(options.Configuration) { ["VERSION"] = $"{oldVersion}-next" },
        };
        var pods = new List<Pod>();
        try
        {
            var (old, _) = await StartReadyAsync(template, options with { Revision = "rev1" }, Replicas, pods);
            await using var balancer = await NginxLoadBalancer.StartAsync(old.Select(p => p.BaseAddress));
            using var endpoints = new ServiceEndpoints(balancer, old);
            // A connection per request to the balancer: an nginx reload closes idle keep-alive client connections,
            // a race between client and balancer that says nothing about the pods (nginx keeps alive to the pods).
            await using var load = new LoadGenerator(balancer.Address, LoadProfile.Steady with { KeepAlive = false });
            await Task.Delay(TimeSpan.FromSeconds(2));

            var deletions = new List<Task<Termination>>();
            var timesToReady = new List<TimeSpan>();
            foreach (var batch in old.Chunk(maxSurge))
            {
                var (fresh, times) = await StartReadyAsync(template, newRevision, batch.Length, pods);
                timesToReady.AddRange(times);
                await endpoints.AddAsync(fresh);
                deletions.AddRange(batch.Select(pod => DeleteAsync(pod, endpoints, options)));
            }
            var terminations = await Task.WhenAll(deletions);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var requests = await load.StopAsync();
            return new RolloutRun(maxSurge, oldVersion, $"{oldVersion}-next", requests, terminations, timesToReady, endpoints.Reloads);
        }
        finally
        {
            foreach (var pod in pods)
            {
                await pod.DisposeAsync();
            }
        }
    }

    /// <summary>Deletion: the endpoint leaves the balancer after propagation while the kubelet terminates the pod.</summary>
    private static async Task<Termination> DeleteAsync(Pod pod, ServiceEndpoints endpoints, PodOptions options)
    {
        var removal = endpoints.RemoveAfterPropagationAsync(pod);
        var termination = await KubeletEmulator.TerminateAsync(pod, options);
        await removal;
        return termination;
    }

    private static async Task<(List<Pod> Pods, List<TimeSpan> TimesToReady)> StartReadyAsync(
        PodTemplate template, PodOptions options, int count, List<Pod> all)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => KubeletEmulator.StartReadyAsync(template, options, StartTimeout)));
        all.AddRange(started.Select(s => s.Pod));
        return ([.. started.Select(s => s.Pod)], [.. started.Select(s => s.TimeToReady)]);
    }

    /// <summary>maxSurge and maxUnavailable: a count, or a percentage of the replicas (surge rounds up, unavailable down).</summary>
    public static int Resolve(string value, bool roundUp)
    {
        if (!value.EndsWith('%'))
        {
            return int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        var share = Replicas * double.Parse(value.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) / 100;
        return (int)(roundUp ? Math.Ceiling(share) : Math.Floor(share));
    }

    public static string Describe(RolloutRun run) =>
        string.Join("\n", run.Failures.Take(10).Select(f => $"{f.SentAt:HH:mm:ss.fff} {f.Path} {f.StatusCode} {f.Error}"));
}
