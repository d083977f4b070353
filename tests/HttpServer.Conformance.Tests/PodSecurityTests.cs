using System.Globalization;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Manifests;

namespace HttpServer.Conformance.Tests;

/// <summary>Seen from inside the running pod: the app (PID 1) has exactly what the rendered securityContext and limits grant.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class PodSecurityTests(ConformanceFixture fixture)
{
    // Run in the container as the pod's user; reports PID 1's identity, capabilities and cgroup limits.
    private const string Inspection = """
        grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs):' /proc/1/status
        echo "Cmdline: $(tr '\0' ' ' < /proc/1/cmdline)"
        touch /app/.probe 2>/dev/null && echo 'RootFs: writable' || echo 'RootFs: read-only'
        for dir in "$@"; do touch "$dir/.probe" && echo "Writable: $dir"; done
        echo "Memory: $(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
        echo "Cpu: $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)")"
        """;

    [Fact]
    public async Task App_runs_with_the_rendered_user_capabilities_read_only_root_and_limits()
    {
        var template = fixture.Template;
        var security = template.Container.SecurityContext;
        var emptyDirs = EmptyDirMounts(template).ToList();
        var facts = await InspectAsync(template, new PodOptions { Revision = "security" }, emptyDirs);

        var user = security?.RunAsUser ?? template.PodSpec.SecurityContext?.RunAsUser;
        var group = security?.RunAsGroup ?? template.PodSpec.SecurityContext?.RunAsGroup;
        Assert.Equal("/app/HttpServer.Api", facts["Cmdline"][0]);
        Assert.Equal($"{user}", facts["Uid"][0].Split('\t')[0]);
        Assert.Equal($"{group}", facts["Gid"][0].Split('\t')[0]);
        Assert.Contains("ALL", security?.Capabilities?.Drop ?? []);
        // The bounding set, not only the effective one: for a non-root user CapEff is empty even with every capability
        // left in; the bounding set is what the drop empties.
        Assert.Equal(NoCapabilities, facts["CapBnd"][0]);
        Assert.Equal(NoCapabilities, facts["CapEff"][0]);
        Assert.Equal(security?.AllowPrivilegeEscalation == false ? "1" : "0", facts["NoNewPrivs"][0]);
        Assert.Equal(security?.ReadOnlyRootFilesystem == true ? "read-only" : "writable", facts["RootFs"][0]);
        Assert.Equal(emptyDirs, facts.GetValueOrDefault("Writable") ?? []);

        var limits = template.Container.Resources?.Limits;
        Assert.Equal(Quantities.Get(limits, "memory"), decimal.Parse(facts["Memory"][0], CultureInfo.InvariantCulture));
        var cpu = facts["Cpu"][0].Split(' ').Select(n => decimal.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Quantities.Get(limits, "cpu"), cpu[0] / cpu[1]);
    }

    /// <summary>The control: the same pod without capabilities.drop keeps the runtime's default bounding set.</summary>
    [Fact]
    public async Task Without_the_capability_drop_the_bounding_set_is_not_empty()
    {
        var template = fixture.Template;
        var facts = await InspectAsync(template, new PodOptions { Revision = "caps", WithoutCapabilityDrop = true }, EmptyDirMounts(template).ToList());

        Assert.NotEqual(NoCapabilities, facts["CapBnd"][0]);
    }

    private const string NoCapabilities = "0000000000000000";

    /// <summary>Starts the pod, ready, and runs <see cref="Inspection"/> in it: each fact by its name.</summary>
    private static async Task<Dictionary<string, List<string>>> InspectAsync(PodTemplate template, PodOptions options, List<string> emptyDirs)
    {
        var (pod, _) = await KubeletEmulator.StartReadyAsync(template, options, TimeSpan.FromSeconds(90));
        await using var podLease = pod;
        var result = (await Podman.RunAsync(["exec", pod.Name, "sh", "-c", Inspection, "inspect", .. emptyDirs]))
            .EnsureSuccess("podman exec");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0], parts => parts[1].Trim())
            .ToDictionary(g => g.Key, g => g.ToList());
    }

    private static IEnumerable<string> EmptyDirMounts(PodTemplate template) =>
        from mount in template.Container.VolumeMounts ?? []
        where template.PodSpec.Volumes.Single(v => v.Name == mount.Name).EmptyDir is not null
        select mount.MountPath;
}
