using System.Text.Json;
using System.Text.RegularExpressions;
using HttpServer.ServiceDefaults.Health;
using k8s.Models;
using static System.FormattableString;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Every production setting of the generated objects, typed, with its default. Bound from the AppHost's configuration
/// section <c>Kubernetes</c> (e.g. <c>--Kubernetes:MinReplicas=3</c>, <c>--Kubernetes:Lifecycle:DrainDelaySeconds=10</c>);
/// a service's own values come from <see cref="KubernetesServiceExtensions.PublishAsKubernetesService"/>.
/// docs/kubernetes.md lists the keys.
/// </summary>
public sealed partial class KubernetesSettings
{
    /// <summary>Requests = limits (Guaranteed QoS); docs/kubernetes.md#sizing says which measurements size them.</summary>
    public string Cpu { get; set; } = "500m";

    public string Memory { get; set; } = "256Mi";

    public ProbeSettings StartupProbe { get; set; } = new() { Path = HealthPaths.Liveness, PeriodSeconds = 2, TimeoutSeconds = 2, FailureThreshold = 30 };

    public ProbeSettings ReadinessProbe { get; set; } = new() { Path = HealthPaths.Readiness, PeriodSeconds = 5, TimeoutSeconds = 2, FailureThreshold = 2 };

    public ProbeSettings LivenessProbe { get; set; } = new() { Path = HealthPaths.Liveness, PeriodSeconds = 10, TimeoutSeconds = 3, FailureThreshold = 3 };

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

    /// <summary>A Secret (kubernetes.io/dockerconfigjson) the pods pull the image with, from a private registry: none until named.</summary>
    public string ImagePullSecret { get; set; } = "";

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

    /// <summary>Refuses values the API server, the kubelet or the app would turn into a failure later, naming the key and the value.</summary>
    public void Validate(string service)
    {
        foreach (var (key, value, _, rule) in Rules().Where(r => !r.Valid))
        {
            throw new ManifestGenerationException(Invariant($"Resource '{service}': Kubernetes:{key} ({value}) {rule}."));
        }
    }

    /// <summary>Each key's rule: the key as the user types it after <c>Kubernetes:</c>, its value, whether it holds, and what it must be.</summary>
    private (string Key, object Value, bool Valid, string Rule)[] Rules()
    {
        const string Positive = "must be at least 1";
        const string NotNegative = "must not be negative";
        const string Percent = "is a percentage, 0 to 100";
        const string Subdomain = "must be a DNS subdomain name (lowercase letters, digits, '-', '.')";
        const string Namespace = "must be a namespace name: a DNS label (lowercase letters, digits, '-')";
        return
        [
            ("Cpu", Cpu, IsQuantity(Cpu), "must be a Kubernetes quantity above 0, such as 500m or 2"),
            ("Memory", Memory, IsQuantity(Memory), "must be a Kubernetes quantity above 0, such as 256Mi or 1Gi"),
            .. new (string Name, ProbeSettings Probe)[] { ("StartupProbe", StartupProbe), ("ReadinessProbe", ReadinessProbe), ("LivenessProbe", LivenessProbe) }.SelectMany(p => new[]
            {
                ($"{p.Name}:Path", (object)p.Probe.Path, p.Probe.Path.StartsWith('/'), "must be an absolute path, starting with /"),
                ($"{p.Name}:PeriodSeconds", p.Probe.PeriodSeconds, p.Probe.PeriodSeconds >= 1, Positive),
                ($"{p.Name}:TimeoutSeconds", p.Probe.TimeoutSeconds, p.Probe.TimeoutSeconds >= 1, Positive),
                ($"{p.Name}:FailureThreshold", p.Probe.FailureThreshold, p.Probe.FailureThreshold >= 1, Positive),
            }),
            // A preStop sleep of 0 seconds is refused by clusters before 1.33 (PodLifecycleSleepActionAllowZero); preflight admits 1.30.
            ("Lifecycle:PreStopSeconds", Lifecycle.PreStopSeconds, Lifecycle.PreStopSeconds >= 1, Positive),
            ("Lifecycle:DrainDelaySeconds", Lifecycle.DrainDelaySeconds, Lifecycle.DrainDelaySeconds >= 0, NotNegative),
            ("Lifecycle:ShutdownTimeoutSeconds", Lifecycle.ShutdownTimeoutSeconds, Lifecycle.ShutdownTimeoutSeconds >= 0, NotNegative),
            ("Lifecycle:MarginSeconds", Lifecycle.MarginSeconds, Lifecycle.MarginSeconds >= 0, NotNegative),
            ("Lifecycle:TerminationGracePeriodSeconds", Lifecycle.GracePeriodSeconds, Lifecycle.GracePeriodSeconds >= Lifecycle.NeededSeconds,
                $"must be at least PreStopSeconds + DrainDelaySeconds + ShutdownTimeoutSeconds + MarginSeconds ({Lifecycle.NeededSeconds}), "
                + "or the kubelet kills pods mid-drain; leave it 0 to have it computed"),
            ("RunAsUser", RunAsUser, RunAsUser >= 1, "must be a non-root uid, at least 1 (the pods run with runAsNonRoot)"),
            ("MinReplicas", MinReplicas, MinReplicas >= 1, Positive),
            ("MaxReplicas", MaxReplicas, MaxReplicas >= MinReplicas, $"must be at least MinReplicas ({MinReplicas})"),
            ("TargetCpuUtilization", TargetCpuUtilization, TargetCpuUtilization >= 1, "must be at least 1 (percent of the CPU request; above 100 is allowed)"),
            ("MaxUnavailable", MaxUnavailable, MaxUnavailable >= 1, Positive),
            ("IngressHost", IngressHost, DnsSubdomain().IsMatch(IngressHost.StartsWith("*.", StringComparison.Ordinal) ? IngressHost[2..] : IngressHost), "must be a DNS name, lowercase (a leading *. for a wildcard)"),
            ("IngressClass", IngressClass, DnsSubdomain().IsMatch(IngressClass), Subdomain),
            ("TlsSecret", TlsSecret, DnsSubdomain().IsMatch(TlsSecret), Subdomain),
            ("CertManagerClusterIssuer", CertManagerClusterIssuer, CertManagerClusterIssuer.Length == 0 || DnsSubdomain().IsMatch(CertManagerClusterIssuer), $"{Subdomain}, or empty"),
            ("ImagePullSecret", ImagePullSecret, ImagePullSecret.Length == 0 || DnsSubdomain().IsMatch(ImagePullSecret), $"{Subdomain}, or empty"),
            ("MonitoringNamespace", MonitoringNamespace, Rfc1123Label().IsMatch(MonitoringNamespace), Namespace),
            ("Gateway:ClassName", Gateway.ClassName, DnsSubdomain().IsMatch(Gateway.ClassName), Subdomain),
            ("Gateway:RequestTimeout", Gateway.RequestTimeout, GatewayDuration().IsMatch(Gateway.RequestTimeout), "must be a Gateway API duration with a unit, such as 10s or 1m30s"),
            ("Canary:Weight", Canary.Weight, Canary.Weight is >= 0 and <= 100, Percent),
            ("Route:Attempts", Route.Attempts, Route.Attempts >= 0, NotNegative),
            ("Route:TimeoutSeconds", Route.TimeoutSeconds, Route.BudgetSeconds <= Route.TimeoutSeconds,
                Invariant($"must hold (Attempts + 1) x PerTryTimeoutSeconds + Attempts x BackoffMilliseconds ({Route.BudgetSeconds} s)")),
            ("Route:RetryCodes", Route.RetryCodes, Route.Codes.All(c => c is >= 400 and <= 599), "must be 4xx/5xx status codes, comma-separated"),
            ("Mesh:Enabled", Mesh.Enabled, !Mesh.Enabled || Gateway.Enabled, $"needs Kubernetes:Gateway:Enabled=true: {MeshObjects.NeedsGatewayBecause}"),
            ("Mesh:TraceSamplingPercent", Mesh.TraceSamplingPercent, Mesh.TraceSamplingPercent is >= 0 and <= 100, Percent),
            ("Mesh:ControlPlaneNamespace", Mesh.ControlPlaneNamespace, Rfc1123Label().IsMatch(Mesh.ControlPlaneNamespace), Namespace),
        ];
    }

    private static bool IsQuantity(string text)
    {
        try
        {
            return new ResourceQuantity(text).ToDecimal() > 0;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Rfc1123Label(); // a namespace name

    [GeneratedRegex("^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex GatewayDuration();
}

/// <summary>An HTTP probe on the container's <c>http</c> port.</summary>
public sealed class ProbeSettings
{
    public string Path { get; set; } = HealthPaths.Liveness;
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
