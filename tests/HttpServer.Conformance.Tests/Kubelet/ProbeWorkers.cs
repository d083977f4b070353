using k8s.Models;

namespace HttpServer.Conformance.Tests.Kubelet;

public enum ProbeKind { Startup, Readiness, Liveness }

public sealed record ProbeRecord(ProbeKind Kind, DateTime At, ProbeResult Result);

/// <summary>
/// The kubelet's three probe workers for one container: each ticks on its own periodSeconds after
/// initialDelaySeconds; readiness and liveness wait for the startup probe's first success; a container is
/// ready after successThreshold successes in a row and unready after failureThreshold failures in a row.
/// </summary>
public sealed class ProbeWorkers(Pod pod, V1Container container) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<DateTime> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ProbeRecord> _records = [];
    private readonly List<Task> _workers = [];
    private volatile bool _started;

    public bool Ready { get; private set; }

    /// <summary>Called with the new readiness, as the endpoints controller would see it.</summary>
    public event Action<Pod, bool>? ReadinessChanged;

    /// <summary>When the kubelet first marked the container ready.</summary>
    public Task<DateTime> FirstReady => _ready.Task;

    /// <summary>Completes when the kubelet would kill the container: startup or liveness failureThreshold reached.</summary>
    public Task<string> Failed => _failed.Task;

    public IReadOnlyList<ProbeRecord> Records
    {
        get { lock (_records) { return [.. _records]; } }
    }

    public void Start()
    {
        _started = container.StartupProbe is null;
        _workers.Add(RunAsync(ProbeKind.Startup, container.StartupProbe));
        _workers.Add(RunAsync(ProbeKind.Readiness, container.ReadinessProbe));
        _workers.Add(RunAsync(ProbeKind.Liveness, container.LivenessProbe));
    }

    private async Task RunAsync(ProbeKind kind, V1Probe? probe)
    {
        if (probe is null)
        {
            if (kind == ProbeKind.Readiness)
            {
                await WaitForStartupAsync();
                SetReady(true);
            }
            return;
        }
        var successes = 0;
        var failures = 0;
        try
        {
            var initialDelay = pod.CreatedAt + TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0) - DateTime.UtcNow;
            await Task.Delay(initialDelay > TimeSpan.Zero ? initialDelay : TimeSpan.Zero, _stop.Token);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10));
            do
            {
                if (kind != ProbeKind.Startup && !_started)
                {
                    continue;
                }
                var result = await Prober.ProbeAsync(probe, pod, _stop.Token);
                lock (_records)
                {
                    _records.Add(new ProbeRecord(kind, DateTime.UtcNow, result));
                }
                (successes, failures) = result.Success ? (successes + 1, 0) : (0, failures + 1);
                var succeeded = successes >= (probe.SuccessThreshold ?? 1);
                var failed = failures >= (probe.FailureThreshold ?? 3);
                switch (kind)
                {
                    case ProbeKind.Startup when succeeded:
                        _started = true;
                        return;
                    case ProbeKind.Startup or ProbeKind.Liveness when failed:
                        _failed.TrySetResult($"{kind} probe failed {failures} times: {result.Detail}");
                        return;
                    case ProbeKind.Readiness when succeeded || failed:
                        SetReady(succeeded);
                        break;
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The pod is gone.
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
        {
            // A probe the manifests got wrong (a port the container does not declare) fails the pod.
            _failed.TrySetResult($"{kind} probe cannot run: {ex.Message}");
        }
    }

    private async Task WaitForStartupAsync()
    {
        while (!_started && !_stop.IsCancellationRequested)
        {
            await Task.Delay(100);
        }
    }

    private void SetReady(bool ready)
    {
        if (Ready == ready)
        {
            return;
        }
        Ready = ready;
        if (ready)
        {
            _ready.TrySetResult(DateTime.UtcNow);
        }
        ReadinessChanged?.Invoke(pod, ready);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
