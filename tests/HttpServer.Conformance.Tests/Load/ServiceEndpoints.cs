using HttpServer.Conformance.Tests.Kubelet;

namespace HttpServer.Conformance.Tests.Load;

/// <summary>
/// The endpoints controller and the load balancer's sync, emulated: a pod is added once the kubelet marks it
/// ready, and a deleted pod is removed <see cref="TrafficVerdict.EndpointPropagation"/> after its deletion.
/// </summary>
public sealed class ServiceEndpoints(NginxLoadBalancer balancer, IEnumerable<Pod> ready) : IDisposable
{
    private readonly List<Pod> _pods = [.. ready];
    private readonly SemaphoreSlim _sync = new(1, 1);

    public int Reloads { get; private set; }

    public Task AddAsync(IEnumerable<Pod> pods) => ChangeAsync(list => list.AddRange(pods));

    public async Task RemoveAfterPropagationAsync(Pod pod)
    {
        await Task.Delay(TrafficVerdict.EndpointPropagation);
        await ChangeAsync(list => list.Remove(pod));
    }

    private async Task ChangeAsync(Action<List<Pod>> change)
    {
        await _sync.WaitAsync();
        try
        {
            change(_pods);
            await balancer.SetBackendsAsync(_pods.Select(p => p.BaseAddress));
            Reloads++;
        }
        finally
        {
            _sync.Release();
        }
    }

    public void Dispose() => _sync.Dispose();
}
