using System.Globalization;
using System.Text;
using System.Text.Json;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>
/// Turns the pod template into a <c>podman run</c>: env and ConfigMaps, volumes, the pod's user, the
/// security context and the resource limits, each the way the kubelet applies them. The one departure is
/// the network: host networking with the app bound to 127.0.0.1 on a free port for each port it declares.
/// </summary>
public static class PodmanRunCommand
{
    public static (List<string> Arguments, List<ConfigMapVolume> Volumes) Build(
        PodTemplate template, PodOptions options, PodIdentity pod, IReadOnlyDictionary<string, int> hostPorts, string volumesRoot)
    {
        var container = template.Container;
        var args = new List<string>
        {
            "run", "--detach", "--name", pod.Name, "--label", $"{Podman.Label}=1", "--pull", "never",
            "--network", "host",
        };
        var volumes = AddVolumes(args, template, options, volumesRoot);
        AddSecurity(args, template, options);
        AddResources(args, container.Resources);

        var environment = EnvironmentResolver.Resolve(container, template.Manifests, template.Namespace, pod);
        foreach (var (key, value) in options.Configuration)
        {
            environment[key] = value;
        }
        // The app's own settings of its two ports (the image's HTTP_PORTS and Management__Port), moved to the free ones.
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{hostPorts["http"]}";
        if (hostPorts.TryGetValue("management", out var management))
        {
            environment["Management__Port"] = management.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var (name, value) in environment)
        {
            args.Add("--env");
            args.Add($"{name}={value}");
        }

        var entrypoint = options.Entrypoint ?? container.Command?.ToList();
        if (entrypoint is not null)
        {
            args.Add($"--entrypoint={JsonSerializer.Serialize(entrypoint)}");
        }
        args.Add(options.Image ?? container.Image);
        if (options.Entrypoint is null)
        {
            args.AddRange(container.Args ?? []);
        }
        return (args, volumes);
    }

    private static List<ConfigMapVolume> AddVolumes(List<string> args, PodTemplate template, PodOptions options, string root)
    {
        var volumes = new List<ConfigMapVolume>();
        foreach (var mount in template.Container.VolumeMounts ?? [])
        {
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                throw new NotSupportedException($"subPath mounts (volume {mount.Name}) are not emulated: they never update");
            }
            var volume = template.PodSpec.Volumes.Single(v => v.Name == mount.Name);
            if (volume.EmptyDir is { } emptyDir)
            {
                // A tmpfs, writable and executable like the kubelet's emptyDir, bounded by its sizeLimit.
                var size = emptyDir.SizeLimit is { } limit ? $",size={(long)limit.ToDecimal()}" : "";
                args.Add("--tmpfs");
                args.Add($"{mount.MountPath}:rw,exec,nosuid,nodev,mode=1777{size}");
                continue;
            }
            var files = volume.ConfigMap is { } configMap
                ? Project(template.Manifests.ConfigMap(configMap.Name, template.Namespace).Data, configMap.Items)
                : volume.Secret is { } secret
                    ? Project(template.Manifests.Secret(secret.SecretName, template.Namespace).Data?
                        .ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value)), secret.Items)
                    : throw new NotSupportedException($"Volume {volume.Name}: only configMap, secret and emptyDir are emulated");
            foreach (var (key, value) in options.Configuration.Where(c => files.ContainsKey(c.Key)))
            {
                files[key] = value;
            }
            var created = ConfigMapVolume.Create(Path.Combine(root, volume.Name), mount.MountPath, files);
            volumes.Add(created);
            args.Add("--volume");
            args.Add($"{created.HostPath}:{mount.MountPath}:ro");
        }
        return volumes;
    }

    private static Dictionary<string, string> Project(IDictionary<string, string>? data, IList<V1KeyToPath>? items)
    {
        data ??= new Dictionary<string, string>();
        return items is null
            ? new Dictionary<string, string>(data)
            : items.ToDictionary(item => item.Path, item => data[item.Key]);
    }

    private static void AddSecurity(List<string> args, PodTemplate template, PodOptions options)
    {
        var pod = template.PodSpec.SecurityContext;
        var container = template.Container.SecurityContext;
        var user = container?.RunAsUser ?? pod?.RunAsUser;
        var group = container?.RunAsGroup ?? pod?.RunAsGroup;
        if (user is not null)
        {
            args.Add("--user");
            args.Add(group is null ? $"{user}" : $"{user}:{group}");
        }
        foreach (var extra in (pod?.SupplementalGroups ?? []).Concat(pod?.FsGroup is { } fs ? [fs] : []))
        {
            args.Add($"--group-add={extra}");
        }
        if (container?.ReadOnlyRootFilesystem == true)
        {
            // podman would add tmpfs on /tmp, /run and /var/tmp; a pod gets none.
            args.AddRange(["--read-only", "--read-only-tmpfs=false"]);
        }
        if (container?.AllowPrivilegeEscalation == false)
        {
            args.Add("--security-opt=no-new-privileges");
        }
        if (container?.Privileged == true)
        {
            args.Add("--privileged");
        }
        if (!options.WithoutCapabilityDrop)
        {
            args.AddRange((container?.Capabilities?.Drop ?? []).Select(c => $"--cap-drop={c}"));
        }
        args.AddRange((container?.Capabilities?.Add ?? []).Select(c => $"--cap-add={c}"));
        var seccomp = container?.SeccompProfile ?? pod?.SeccompProfile;
        if (seccomp?.Type == "Unconfined")
        {
            args.Add("--security-opt=seccomp=unconfined");
        }
    }

    private static void AddResources(List<string> args, V1ResourceRequirements? resources)
    {
        if (Quantities.Get(resources?.Limits, "cpu") is { } cpus)
        {
            args.Add($"--cpus={cpus.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Quantities.Get(resources?.Limits, "memory") is { } memory)
        {
            // No swap, as on a kubelet node.
            args.Add($"--memory={(long)memory}");
            args.Add($"--memory-swap={(long)memory}");
        }
        if (Quantities.Get(resources?.Requests, "cpu") is { } requested)
        {
            // The kubelet's cpu.shares for a request: millicores * 1024 / 1000, at least 2.
            args.Add($"--cpu-shares={Math.Max(2, (long)(requested * 1024))}");
        }
    }
}
