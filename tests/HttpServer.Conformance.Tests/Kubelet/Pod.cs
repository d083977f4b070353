using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>One replica of the Deployment: a podman container, its ConfigMap volumes and its probe workers.</summary>
public sealed class Pod : IAsyncDisposable
{
    private readonly string _volumesRoot;

    private Pod(string name, PodTemplate template, int port, string volumesRoot)
    {
        Name = name;
        Template = template;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _volumesRoot = volumesRoot;
        Probes = new ProbeWorkers(this, template.Container);
    }

    public string Name { get; }

    public PodTemplate Template { get; }

    /// <summary>Where the container listens: 127.0.0.1 on a free port, in place of the pod IP and containerPort.</summary>
    public Uri BaseAddress { get; }

    public DateTime CreatedAt { get; private set; }

    public ProbeWorkers Probes { get; }

    public IReadOnlyList<ConfigMapVolume> Volumes { get; private set; } = [];

    public static async Task<Pod> RunAsync(PodTemplate template, PodOptions options)
    {
        var name = $"{template.Name}-{options.Revision}-{Guid.NewGuid().ToString("N")[..5]}";
        var volumesRoot = Path.Combine(ConformancePaths.WorkDirectory, "pods", name);
        var pod = new Pod(name, template, FreePort.Next(), volumesRoot);
        var (arguments, volumes) = PodmanRunCommand.Build(template, options, new PodIdentity(name, Guid.NewGuid().ToString()),
            pod.BaseAddress.Port, volumesRoot);
        pod.Volumes = volumes;
        pod.CreatedAt = DateTime.UtcNow;
        (await Podman.RunAsync(arguments)).EnsureSuccess($"podman run {name}");
        pod.Probes.Start();
        return pod;
    }

    public ConfigMapVolume VolumeMountedAt(string mountPath) =>
        Volumes.SingleOrDefault(v => v.MountPath.TrimEnd('/') == mountPath.TrimEnd('/'))
        ?? throw new InvalidOperationException($"The pod mounts no ConfigMap at {mountPath}");

    /// <summary>A probe must target a port the container declares (by number or name): the one it serves.</summary>
    public void EnsureProbePortIsServed(string port)
    {
        var declared = Template.Container.Ports ?? [];
        var served = int.TryParse(port, out var number)
            ? declared.Any(p => p.ContainerPort == number)
            : declared.Any(p => p.Name == port);
        if (!served)
        {
            throw new InvalidOperationException($"A probe of {Template.Name} targets port {port}, which the container does not declare");
        }
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
