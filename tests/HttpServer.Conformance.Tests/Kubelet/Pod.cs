using System.Globalization;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>One replica of the Deployment: a podman container, its ConfigMap volumes and its probe workers.</summary>
public sealed class Pod : IAsyncDisposable
{
    private readonly string _volumesRoot;

    private Pod(string name, PodTemplate template, string volumesRoot)
    {
        Name = name;
        Template = template;
        // Host networking: each declared port moves to a free one on 127.0.0.1, as a pod IP would keep them apart.
        HostPorts = (template.Container.Ports ?? []).ToDictionary(p => p.Name ?? p.ContainerPort.ToString(CultureInfo.InvariantCulture), _ => FreePort.Next());
        BaseAddress = new Uri($"http://127.0.0.1:{HostPorts["http"]}/");
        _volumesRoot = volumesRoot;
        Probes = new ProbeWorkers(this, template.Container);
    }

    public string Name { get; }

    public PodTemplate Template { get; }

    /// <summary>Where the container's <c>http</c> port listens: 127.0.0.1 on a free port, in place of the pod IP and containerPort.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Each declared container port (by name) and the free host port that stands for it.</summary>
    public IReadOnlyDictionary<string, int> HostPorts { get; }

    public DateTime CreatedAt { get; private set; }

    public ProbeWorkers Probes { get; }

    public IReadOnlyList<ConfigMapVolume> Volumes { get; private set; } = [];

    public static async Task<Pod> RunAsync(PodTemplate template, PodOptions options)
    {
        var name = $"{template.Name}-{options.Revision}-{Guid.NewGuid().ToString("N")[..5]}";
        var volumesRoot = Path.Combine(ConformancePaths.WorkDirectory, "pods", name);
        var pod = new Pod(name, template, volumesRoot);
        var (arguments, volumes) = PodmanRunCommand.Build(template, options, new PodIdentity(name, Guid.NewGuid().ToString()),
            pod.HostPorts, volumesRoot);
        pod.Volumes = volumes;
        pod.CreatedAt = DateTime.UtcNow;
        (await Podman.RunAsync(arguments)).EnsureSuccess($"podman run {name}");
        pod.Probes.Start();
        return pod;
    }

    public ConfigMapVolume VolumeMountedAt(string mountPath) =>
        Volumes.SingleOrDefault(v => v.MountPath.TrimEnd('/') == mountPath.TrimEnd('/'))
        ?? throw new InvalidOperationException($"The pod mounts no ConfigMap at {mountPath}");

    /// <summary>
    /// Where a probe reaches: the host port of the container port it names (by number or name). A port the container
    /// does not declare is refused: the kubelet would probe a port nothing serves.
    /// </summary>
    public Uri AddressOf(string port)
    {
        var declared = (Template.Container.Ports ?? []).FirstOrDefault(p => int.TryParse(port, out var number) ? p.ContainerPort == number : p.Name == port)
            ?? throw new InvalidOperationException($"A probe of {Template.Name} targets port {port}, which the container does not declare");
        return new Uri($"http://127.0.0.1:{HostPorts[declared.Name ?? declared.ContainerPort.ToString(CultureInfo.InvariantCulture)]}/");
    }

    public Task<string> LogsAsync() => Podman.LogsAsync(Name);

    public Task<ContainerState> StateAsync() => Podman.InspectAsync(Name);

    public async ValueTask DisposeAsync()
    {
        await Probes.DisposeAsync();
        await Podman.RemoveAsync(Name);
        if (Directory.Exists(_volumesRoot))
        {
            Directory.Delete(_volumesRoot, recursive: true);
        }
    }
}
