using HttpServer.Conformance.Tests.Infrastructure;

namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>What one termination took, on the wall clock (UTC).</summary>
public sealed record Termination(
    DateTime DeletedAt, DateTime SignalAt, DateTime ExitedAt, int ExitCode, int GracePeriodSeconds, int StopTimeoutSeconds)
{
    /// <summary>From the pod's deletion (preStop start) to the container's exit.</summary>
    public TimeSpan TimeToExit => ExitedAt - DeletedAt;

    public TimeSpan SignalToExit => ExitedAt - SignalAt;
}

/// <summary>The kubelet's part: start the container and probe it; on deletion run preStop, then stop with the grace period left.</summary>
public static class KubeletEmulator
{
    /// <summary>Starts the pod and waits until the kubelet marks it ready; returns the time to ready.</summary>
    public static async Task<(Pod Pod, TimeSpan TimeToReady)> StartReadyAsync(
        Manifests.PodTemplate template, PodOptions options, TimeSpan timeout)
    {
        var pod = await Pod.RunAsync(template, options);
        var ready = pod.Probes.FirstReady;
        var finished = await Task.WhenAny(ready, pod.Probes.Failed, Task.Delay(timeout));
        if (finished != ready)
        {
            var reason = finished == pod.Probes.Failed ? await pod.Probes.Failed : $"not ready within {timeout}";
            var logs = await pod.LogsAsync();
            await pod.DisposeAsync();
            throw new InvalidOperationException($"Pod {pod.Name}: {reason}\n{logs}");
        }
        return (pod, await ready - pod.CreatedAt);
    }

    /// <summary>
    /// Pod deletion as the kubelet carries it out: the preStop hook (given the whole grace period), then
    /// SIGTERM with what is left of the grace period (at least 2 s), then SIGKILL.
    /// </summary>
    public static async Task<Termination> TerminateAsync(Pod pod, PodOptions options)
    {
        var grace = pod.Template.TerminationGracePeriodSeconds;
        var deletedAt = DateTime.UtcNow;
        if (pod.Template.PreStop is { } preStop && !options.WithoutPreStop)
        {
            if (preStop.Sleep is { } sleep)
            {
                await Task.Delay(TimeSpan.FromSeconds(sleep.Seconds));
            }
            else if (preStop.Exec is { } exec)
            {
                // A failing hook is only an event for the kubelet: termination goes on.
                await Podman.RunAsync(["exec", pod.Name, .. exec.Command], TimeSpan.FromSeconds(grace));
            }
            else
            {
                throw new NotSupportedException("Only sleep and exec preStop hooks are emulated");
            }
        }
        var stopTimeout = Math.Max(2, grace - (int)(DateTime.UtcNow - deletedAt).TotalSeconds);
        var signalAt = DateTime.UtcNow;
        await Podman.StopAsync(pod.Name, stopTimeout);
        var exitedAt = DateTime.UtcNow;
        var state = await pod.StateAsync();
        return new Termination(deletedAt, signalAt, exitedAt, state.ExitCode, grace, stopTimeout);
    }
}
