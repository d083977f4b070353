using System.Text.Json;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Every production setting of the generated objects, typed, with its default. Bound from the AppHost's configuration
/// section <c>Kubernetes</c> (e.g. <c>--Kubernetes:MinReplicas=3</c>, <c>--Kubernetes:Lifecycle:DrainDelaySeconds=10</c>);
/// a service's own values come from <see cref="KubernetesServiceExtensions.PublishAsKubernetesService"/>.
/// docs/kubernetes.md lists the keys.
/// </summary>
public sealed class KubernetesSettings
{
    /// <summary>Requests = limits (Guaranteed QoS); docs/kubernetes.md#sizing says which measurements size them.</summary>
    public string Cpu { get; set; } = "500m";

    public string Memory { get; set; } = "256Mi";

    public ProbeSettings StartupProbe { get; set; } = new() { Path = "/healthz", PeriodSeconds = 2, TimeoutSeconds = 2, FailureThreshold = 30 };

    public ProbeSettings ReadinessProbe { get; set; } = new() { Path = "/readyz", PeriodSeconds = 5, TimeoutSeconds = 2, FailureThreshold = 2 };

    public ProbeSettings LivenessProbe { get; set; } = new() { Path = "/healthz", PeriodSeconds = 10, TimeoutSeconds = 3, FailureThreshold = 3 };

    public LifecycleSettings Lifecycle { get; set; } = new();

    /// <summary>The non-root user and group of pod and container (the SDK image's <c>app</c> user).</summary>
    public int RunAsUser { get; set; } = 1654;

    /// <summary>The autoscaler's range: it owns the Deployment's replica count, which the manifests leave unset.</summary>
    public int MinReplicas { get; set; } = 2;

    public int MaxReplicas { get; set; } = 6;

    /// <summary>Average CPU utilisation (of the request) the autoscaler aims at.</summary>
    public int TargetCpuUtilization { get; set; } = 70;

    /// <summary>The PodDisruptionBudget: pods down at once in voluntary disruptions (node drains, upgrades).</summary>
    public int MaxUnavailable { get; set; } = 1;

    /// <summary>Host name of the Ingress in front of each external service.</summary>
    public string IngressHost { get; set; } = "httpserver.example.com";

    public string IngressClass { get; set; } = "nginx";

    /// <summary>The Secret with the TLS certificate (never in this repository; cert-manager can create it).</summary>
    public string TlsSecret { get; set; } = "httpserver-tls";

    /// <summary>cert-manager's ClusterIssuer for the certificate: no annotation until one is named.</summary>
    public string CertManagerClusterIssuer { get; set; } = "";

    /// <summary>The namespace Prometheus scrapes from; each NetworkPolicy admits it to the management port (the HTTP port when there is none).</summary>
    public string MonitoringNamespace { get; set; } = "monitoring";

    public ObservabilitySettings Observability { get; set; } = new();

    public GatewaySettings Gateway { get; set; } = new();

    /// <summary>This service's canary; see <see cref="CanarySettings"/>.</summary>
    public CanarySettings Canary { get; set; } = new();

    public RouteSettings Route { get; set; } = new();

    public MeshSettings Mesh { get; set; } = new();

    /// <summary><c>HOST[:PORT][/PATH]</c>: deploy pushes each project's image there and applies the manifests with it by digest.</summary>
    public string Registry { get; set; } = "";

    /// <summary>The image deploy's build starts from; empty for the SDK's own default (<c>mcr.microsoft.com/dotnet/runtime-deps</c>).</summary>
    public string BaseImage { get; set; } = "";

    /// <summary>A copy that a service's own callback can change without changing the others'.</summary>
    public KubernetesSettings Clone() => JsonSerializer.Deserialize<KubernetesSettings>(JsonSerializer.Serialize(this))!;

    /// <summary>Refuses values the kubelet or the app would turn into a failure later, naming the key.</summary>
    public void Validate(string service)
    {
        var grace = Lifecycle.GracePeriodSeconds;
        if (grace < Lifecycle.NeededSeconds)
        {
            throw new ManifestGenerationException(
                $"Resource '{service}': Kubernetes:Lifecycle:TerminationGracePeriodSeconds ({grace}) must be at least PreStopSeconds + "
                + $"DrainDelaySeconds + ShutdownTimeoutSeconds + MarginSeconds ({Lifecycle.NeededSeconds}), or the kubelet kills pods mid-drain; "
                + "leave it 0 to have it computed.");
        }
        if (MinReplicas < 1 || MaxReplicas < MinReplicas || MaxUnavailable < 1 || new[] { Lifecycle.PreStopSeconds, Lifecycle.DrainDelaySeconds,
            Lifecycle.ShutdownTimeoutSeconds, Lifecycle.MarginSeconds }.Any(s => s < 0))
        {
            throw new ManifestGenerationException(
                $"Resource '{service}': Kubernetes:MinReplicas and MaxUnavailable must be at least 1, MaxReplicas at least MinReplicas, and the Lifecycle seconds not negative.");
        }
        if (Canary.Weight is < 0 or > 100)
        {
            throw new ManifestGenerationException($"Resource '{service}': Kubernetes:Canary:Weight ({Canary.Weight}) is a percentage, 0 to 100.");
        }
        if (Route.BudgetSeconds > Route.TimeoutSeconds || Route.Attempts < 0 || Route.Codes.Any(c => c is < 400 or > 599))
        {
            throw new ManifestGenerationException(
                $"Resource '{service}': Kubernetes:Route: (Attempts + 1) x PerTryTimeoutSeconds + Attempts x BackoffMilliseconds ({Route.BudgetSeconds} s) must fit in TimeoutSeconds ({Route.TimeoutSeconds}), and RetryCodes be 4xx/5xx.");
        }
    }
}

/// <summary>An HTTP probe on the container's <c>http</c> port.</summary>
public sealed class ProbeSettings
{
    public string Path { get; set; } = "/healthz";
    public int PeriodSeconds { get; set; }
    public int TimeoutSeconds { get; set; }
    public int FailureThreshold { get; set; }
}

/// <summary>
/// Termination: the preStop sleep (endpoints stop routing), then the app's own drain and shutdown timeout (written into the
/// pod as Lifecycle__DrainDelaySeconds and Lifecycle__ShutdownTimeoutSeconds), then a margin for SIGTERM and exit.
/// </summary>
public sealed class LifecycleSettings
{
    public int PreStopSeconds { get; set; } = 5;
    public int DrainDelaySeconds { get; set; } = 5;
    public int ShutdownTimeoutSeconds { get; set; } = 20;
    public int MarginSeconds { get; set; } = 10;

    /// <summary>0: computed as <see cref="NeededSeconds"/>; a value below it is refused.</summary>
    public int TerminationGracePeriodSeconds { get; set; }

    public int NeededSeconds => PreStopSeconds + DrainDelaySeconds + ShutdownTimeoutSeconds + MarginSeconds;

    public int GracePeriodSeconds => TerminationGracePeriodSeconds == 0 ? NeededSeconds : TerminationGracePeriodSeconds;
}

/// <summary>The optional observability components (docs/observability.md), each off until switched on here.</summary>
public sealed class ObservabilitySettings
{
    /// <summary>The Aspire dashboard in the cluster and OTLP from every app pod.</summary>
    public bool Otlp { get; set; }

    /// <summary>A PodMonitor (Prometheus Operator).</summary>
    public bool Metrics { get; set; }

    /// <summary>A PrometheusRule with the SLO and pod alerts (Deployment/alerts/).</summary>
    public bool Alerts { get; set; }

    /// <summary>The Grafana dashboard (Deployment/grafana/) as a ConfigMap for Grafana's sidecar.</summary>
    public bool Grafana { get; set; }
}
