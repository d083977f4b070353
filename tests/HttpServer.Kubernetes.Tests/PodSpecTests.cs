using System.Globalization;
using HttpServer.Kubernetes.Tests.Infrastructure;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>Rules every rendered pod must keep: QoS, termination timing, security, probes and mounted settings.</summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class PodSpecTests(RenderedManifestsFixture rendered)
{
    /// <summary>Time for the kubelet to deliver SIGTERM and for the process to exit after its own timeout.</summary>
    public const int GraceMarginSeconds = 5;

    public const int NonRootUser = 1654;

    [Fact]
    public void Every_pod_is_in_the_Guaranteed_QoS_class()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        Assert.All(rendered.Manifests.Deployments, d => Assert.Equal("Guaranteed", QualityOfService.Classify(d.Spec.Template.Spec)));
    }

    [Fact]
    public void Termination_grace_period_exceeds_preStop_plus_drain_plus_shutdown_plus_margin()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var configuration = PodConfiguration.For(rendered.Manifests, deployment);
            var preStop = configuration.Container.Lifecycle.PreStop;
            Assert.Null(preStop.Exec); // the kubelet's own sleep action: no process in the container is needed
            var sleep = preStop.Sleep.Seconds;
            var drain = double.Parse(configuration["Lifecycle__DrainDelaySeconds"]!, CultureInfo.InvariantCulture);
            var shutdown = double.Parse(configuration["Lifecycle__ShutdownTimeoutSeconds"]!, CultureInfo.InvariantCulture);
            var grace = deployment.Spec.Template.Spec.TerminationGracePeriodSeconds;
            Assert.True(grace > sleep + drain + shutdown + GraceMarginSeconds,
                $"{deployment.Metadata.Name}: terminationGracePeriodSeconds {grace} <= preStop {sleep} + drain {drain} + shutdown {shutdown} + margin {GraceMarginSeconds}");
        }
    }

    [Fact]
    public void Pods_and_containers_run_as_the_non_root_user_with_nothing_writable_but_tmp()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.False(pod.AutomountServiceAccountToken);
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal(NonRootUser, pod.SecurityContext.RunAsUser);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            var container = pod.Containers.Single();
            var security = container.SecurityContext;
            Assert.True(security.RunAsNonRoot);
            Assert.Equal(NonRootUser, security.RunAsUser);
            Assert.False(security.AllowPrivilegeEscalation);
            Assert.True(security.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            Assert.Null(security.Capabilities.Add);
            Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
            var writable = container.VolumeMounts.Where(m => m.ReadOnlyProperty != true).ToList();
            var tmp = Assert.Single(writable);
            Assert.Equal("/tmp", tmp.MountPath);
            Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
        }
    }

    [Fact]
    public void Probes_check_liveness_and_readiness_on_the_named_management_port()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var container in rendered.Manifests.Deployments.Select(d => d.Spec.Template.Spec.Containers.Single()))
        {
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
            foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
            {
                Assert.Equal("management", probe.HttpGet.Port.Value);
                Assert.Contains(container.Ports, p => p.Name == "management");
            }
            // The start budget covers the measured start (~2-3 s) many times over, for a throttled CPU.
            Assert.True(container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold >= 30);
        }
    }

    [Fact]
    public void Settings_are_a_ConfigMap_mounted_as_a_directory_so_changes_apply_without_restart()
    {
        // The live ones; the timings (read at start) are env, written from the same settings as the grace period.
        string[] keys = ["Logging__LogLevel__Default", "AccessLog__Level", "FaultInjection__DelayMinMs", "FaultInjection__DelayMaxMs"];
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var configuration = PodConfiguration.For(rendered.Manifests, deployment);
            Assert.Equal("/config", configuration.Environment[PodConfiguration.ConfigDirectoryVariable]);
            Assert.All(keys, k => Assert.Contains(k, configuration.MountedFiles.Keys));
            var mount = configuration.Container.VolumeMounts.Single(m => m.MountPath == "/config");
            Assert.Null(mount.SubPath); // a subPath mount never sees ConfigMap updates
            var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
            // A fixed name: kustomize's content hash would replace the ConfigMap (and roll the pods) on every change.
            Assert.Equal($"{deployment.Metadata.Name}-settings", volume.ConfigMap.Name);
        }
    }
}
