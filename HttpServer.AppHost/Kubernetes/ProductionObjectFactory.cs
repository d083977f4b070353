using System.Globalization;
using HttpServer.ServiceDefaults.Management;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The production layer of one service, from its typed settings: the patch on its Deployment (the pods' track, probes,
/// preStop, resources, security, timings, the mounted settings), its live settings ConfigMap, PodDisruptionBudget and
/// autoscaler (which owns the replica count).
/// </summary>
internal static partial class ProductionObjectFactory
{
    public const string SettingsVolume = "settings";
    public const string SettingsDirectory = "/config";

    /// <summary>
    /// The settings that change at run time (mounted ConfigMap, polled by the app), with their values when the model sets
    /// none. A value the model does set moves here from the service's environment.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LiveSettingDefaults = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["AccessLog__Level"] = "Information",
        ["FaultInjection__DelayMaxMs"] = "0",
        ["FaultInjection__DelayMinMs"] = "0",
        ["FaultInjection__ErrorRate"] = "0",
        ["Logging__LogLevel__Default"] = "Information",
    };

    public static string SettingsName(ServiceDescription service) => $"{service.Name}-settings";

    /// <summary>A strategic merge patch: the container is found by its name, the env entries append to the base's VERSION.</summary>
    public static V1Deployment DeploymentPatch(ServiceDescription service)
    {
        var s = service.Settings;
        var http = service.ManagementPort ?? (service.Ports.Count > 0 ? service.Ports[0].ContainerPort : (int?)null);
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = service.Name },
            Spec = new V1DeploymentSpec
            {
                RevisionHistoryLimit = 5,
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        // Every service's own pods are the stable track, canary or not: switching a canary on or off never
                        // changes (so never rolls) the stable pod template. The Deployment's selector stays without it.
                        Labels = new Dictionary<string, string> { [KubernetesLabels.Track] = CanaryObjects.Stable },
                        Annotations = http is null ? null : new Dictionary<string, string>
                        {
                            ["prometheus.io/path"] = ManagementPaths.Metrics,
                            ["prometheus.io/port"] = http.Value.ToString(CultureInfo.InvariantCulture),
                            ["prometheus.io/scrape"] = "true",
                        },
                    },
                    Spec = new V1PodSpec
                    {
                        // Its own identity: the mesh's AuthorizationPolicy admits callers by ServiceAccount.
                        ServiceAccountName = service.Name,
                        TerminationGracePeriodSeconds = s.Lifecycle.GracePeriodSeconds,
                        // Replicas of each service on different nodes where possible (matchLabelKeys narrows the selector to
                        // the pod's own instance); ScheduleAnyway keeps a one-node cluster (kind) working.
                        TopologySpreadConstraints =
                        [
                            new V1TopologySpreadConstraint
                            {
                                MaxSkew = 1, TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "ScheduleAnyway",
                                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [KubernetesLabels.PartOf] = KubernetesLabels.Application } },
                                MatchLabelKeys = [KubernetesLabels.Instance],
                            },
                        ],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = service.Name,
                                Env =
                                [
                                    new V1EnvVar { Name = "APP_CONFIG_DIR", Value = SettingsDirectory },
                                    // The app's own drain and shutdown timeout, from the same values as the grace period.
                                    new V1EnvVar { Name = "Lifecycle__DrainDelaySeconds", Value = Text(s.Lifecycle.DrainDelaySeconds) },
                                    new V1EnvVar { Name = "Lifecycle__ShutdownTimeoutSeconds", Value = Text(s.Lifecycle.ShutdownTimeoutSeconds) },
                                ],
                                Resources = Guaranteed(s.Cpu, s.Memory),
                                StartupProbe = Probe(s.StartupProbe, service.OperationsPortName),
                                ReadinessProbe = Probe(s.ReadinessProbe, service.OperationsPortName, successThreshold: 1),
                                LivenessProbe = Probe(s.LivenessProbe, service.OperationsPortName),
                                // The kubelet's own sleep (Kubernetes >= 1.30): no process in the image is needed for it. Endpoints
                                // stop routing here meanwhile; then SIGTERM starts the app's drain.
                                Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = s.Lifecycle.PreStopSeconds } } },
                                VolumeMounts = [new V1VolumeMount { Name = SettingsVolume, MountPath = SettingsDirectory, ReadOnlyProperty = true }],
                            },
                        ],
                        // The live settings as a directory (APP_CONFIG_DIR), polled by the app: an edit applies without a restart.
                        Volumes = [new V1Volume { Name = SettingsVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = SettingsName(service) } }],
                    }.Restricted(s.RunAsUser),
                },
            },
        }.Typed();
    }

    /// <summary>The live settings: a fixed name (no content hash), so that an edit reaches the running pods.</summary>
    public static V1ConfigMap Settings(ServiceDescription service) => new V1ConfigMap
    {
        Metadata = KubernetesLabels.Metadata(SettingsName(service), service),
        Data = new SortedDictionary<string, string>(LiveSettingDefaults.ToDictionary(
            d => d.Key, d => service.Environment.TryGetValue(d.Key, out var value) ? value : d.Value), StringComparer.Ordinal),
    }.Typed();

    private static V1Probe Probe(ProbeSettings probe, string port, int? successThreshold = null) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = probe.Path, Port = port },
        PeriodSeconds = probe.PeriodSeconds,
        TimeoutSeconds = probe.TimeoutSeconds,
        SuccessThreshold = successThreshold,
        FailureThreshold = probe.FailureThreshold,
    };

    /// <summary>Requests equal to limits: the Guaranteed QoS class, last to be evicted.</summary>
    internal static V1ResourceRequirements Guaranteed(string cpu, string memory) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The service's own identity, with no API token: the app never calls the API server.</summary>
    /// <summary>The pods' identity; a private registry's pull secret goes here, once for all of the service's pods (a canary's too).</summary>
    public static V1ServiceAccount ServiceAccount(ServiceDescription service) => new V1ServiceAccount
    {
        Metadata = KubernetesLabels.Metadata(service.Name, service),
        AutomountServiceAccountToken = false,
        ImagePullSecrets = service.Settings.ImagePullSecret.Length == 0 ? null : [new V1LocalObjectReference { Name = service.Settings.ImagePullSecret }],
    }.Typed();

    internal static V1LabelSelector Selector(ServiceDescription service) => new() { MatchLabels = KubernetesLabels.Selector(service) };
}
