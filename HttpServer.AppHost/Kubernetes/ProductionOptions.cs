namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// What the generated production objects of every service share (section <c>Kubernetes</c> of the AppHost's
/// configuration for the Ingress). Settings common to every Deployment (probes, resources, security, timings)
/// are not here: they are the hand-kept kustomize component aspirate-output/production/.
/// </summary>
public sealed class ProductionOptions
{
    /// <summary>Host name of the Ingress in front of each external service.</summary>
    public string IngressHost { get; set; } = "httpserver.example.com";

    public string IngressClass { get; set; } = "nginx";

    /// <summary>The Secret with the TLS certificate (never in this repository; cert-manager can create it).</summary>
    public string TlsSecret { get; set; } = "httpserver-tls";

    /// <summary>cert-manager's ClusterIssuer for the certificate; empty for none.</summary>
    public string CertManagerClusterIssuer { get; set; } = "letsencrypt";

    public int MinReplicas { get; set; } = 2;

    public int MaxReplicas { get; set; } = 6;

    /// <summary>Average CPU utilisation (of the request) the autoscaler aims at.</summary>
    public int TargetCpuUtilization { get; set; } = 70;

    /// <summary>
    /// The settings that change at run time (mounted ConfigMap, polled by the app), with their values when the
    /// model does not set them. A value the model does set moves here from the service's environment.
    /// </summary>
    public IReadOnlyDictionary<string, string> LiveSettingDefaults { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["AccessLog__Level"] = "Information",
        ["FaultInjection__DelayMaxMs"] = "0",
        ["FaultInjection__DelayMinMs"] = "0",
        ["FaultInjection__ErrorRate"] = "0",
        ["Logging__LogLevel__Default"] = "Information",
    };

    /// <summary>The namespace Prometheus scrapes from; each NetworkPolicy admits it to the metrics port.</summary>
    public string MonitoringNamespace { get; set; } = "monitoring";
}
