using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Load;
using HttpServer.Conformance.Tests.Manifests;

namespace HttpServer.Conformance.Tests.Scenarios;

/// <summary>What one pod's life under load showed: its start, its termination and every request around it.</summary>
public sealed record TerminationRun(
    string PodName,
    TimeSpan TimeToReady,
    Termination Termination,
    TrafficVerdict Verdict,
    IReadOnlyList<RequestRecord> Requests,
    IReadOnlyList<RequestRecord> ReadinessWatch,
    IReadOnlyList<ProbeRecord> Probes,
    AppLog Log,
    string RawLog)
{
    /// <summary>Requests of the load that were under way at the moment (sent before, answered after).</summary>
    public IEnumerable<RequestRecord> InFlightAt(DateTime moment) =>
        Requests.Where(r => r.SentAt < moment && r.CompletedAt > moment);
}

/// <summary>
/// Start a pod as the kubelet would and wait until it is ready; put continuous load on it (plus a fine-grained
/// readiness watch); delete it as the kubelet would; keep the load on until a second after the container exited.
/// </summary>
public static class TerminationScenario
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<TerminationRun> RunAsync(PodTemplate template, PodOptions options)
    {
        var (pod, timeToReady) = await KubeletEmulator.StartReadyAsync(template, options, StartTimeout);
        await using var podLease = pod;
        await using var load = new LoadGenerator(pod.BaseAddress, LoadProfile.Steady);
        await using var readinessWatch = new LoadGenerator(pod.BaseAddress, LoadProfile.ReadinessWatch);
        // Steady state first: connections open and kept alive, slow requests under way.
        await Task.Delay(TimeSpan.FromSeconds(3));
        if (pod.Probes.Failed.IsCompleted)
        {
            throw new InvalidOperationException($"The kubelet would have restarted {pod.Name}: {await pod.Probes.Failed}");
        }

        var termination = await KubeletEmulator.TerminateAsync(pod, options);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var requests = await load.StopAsync();
        var readiness = await readinessWatch.StopAsync();
        var rawLog = await pod.LogsAsync();
        return new TerminationRun(pod.Name, timeToReady, termination, TrafficVerdict.Judge(requests, termination.DeletedAt),
            requests, readiness, pod.Probes.Records, AppLog.Parse(rawLog), rawLog);
    }

    public static SummaryRow Row(string scenario, string expected, TerminationRun run, string observed) => new(
        scenario, expected, run.Verdict.Sent, run.Verdict.Failed, run.Verdict.EndpointRemoved, run.Termination.ExitCode,
        run.TimeToReady, run.Termination.TimeToExit, observed);
}
