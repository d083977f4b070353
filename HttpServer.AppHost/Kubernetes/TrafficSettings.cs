namespace HttpServer.AppHost.Kubernetes;

/// <summary>Gateway API north-south (docs/traffic.md): a Gateway and an HTTPRoute to each external service, instead of the Ingress.</summary>
public sealed class GatewaySettings
{
    public bool Enabled { get; set; }

    /// <summary>The GatewayClass: the implementation that runs the Gateway (Istio's is <c>istio</c>).</summary>
    public string ClassName { get; set; } = "istio";

    /// <summary>The whole request through the Gateway, a Gateway API duration.</summary>
    public string RequestTimeout { get; set; } = "10s";
}

/// <summary>
/// A second version of a service, next to the stable one, taking <see cref="Weight"/> percent of its callers' requests
/// through the mesh route (GAMMA). Declared per service in the AppHost (<c>WithKubernetesCanary</c>), bound from
/// <c>Kubernetes:Canaries:&lt;service&gt;</c>; on when <see cref="Version"/> is set.
/// </summary>
public sealed class CanarySettings
{
    /// <summary>The service may run a canary: the output offers it, off, with <see cref="Release"/>'s default.</summary>
    public bool Declared { get; set; }

    /// <summary>The canary's release: its image tag, VERSION and version label. Empty: off.</summary>
    public string Version { get; set; } = "";

    /// <summary>The canary's release, or while none is set the stable one's as a SemVer pre-release: <c>1.0.0-canary</c>.</summary>
    public string Release(string stable) => Version.Length > 0 ? Version : $"{stable}-canary";

    /// <summary>Percent of the requests the canary gets; the stable version gets the rest. 100 promotes, 0 rolls back.</summary>
    public int Weight { get; set; } = 10;
}

/// <summary>
/// The mesh route's timeout and retries (a split service's callers go through it). The whole of it, retries included,
/// must fit inside one attempt of the caller's own HttpClient (Downstream:AttemptTimeoutSeconds in the Api): the
/// caller's resilience handler retries on top, so the mesh must give up first.
/// </summary>
public sealed class RouteSettings
{
    public double TimeoutSeconds { get; set; } = 1.8;

    /// <summary>Retries after the first try (Gateway API <c>retry.attempts</c>).</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>One try's timeout (<c>timeouts.backendRequest</c>).</summary>
    public double PerTryTimeoutSeconds { get; set; } = 0.5;

    public int BackoffMilliseconds { get; set; } = 100;

    /// <summary>The status codes retried, comma-separated (a gateway's errors: the request did not reach the app or was dropped).</summary>
    public string RetryCodes { get; set; } = "502,503,504";

    /// <summary>The worst case: every try times out, with a backoff before each retry.</summary>
    public double BudgetSeconds => ((Attempts + 1) * PerTryTimeoutSeconds) + (Attempts * BackoffMilliseconds / 1000.0);

    public IReadOnlyList<int> Codes => [.. RetryCodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => int.TryParse(c, out var code) ? code : -1)];
}

/// <summary>Istio: mTLS STRICT, each callee admitting its callers' identities only, traces at a sampling rate.</summary>
public sealed class MeshSettings
{
    public bool Enabled { get; set; }

    /// <summary>Percent of the requests the sidecars trace (Telemetry), when the otlp component is on.</summary>
    public double TraceSamplingPercent { get; set; } = 10;

    /// <summary>The mesh's extension provider (meshConfig.extensionProviders) that sends OTLP to the in-cluster dashboard.</summary>
    public string TracingProvider { get; set; } = "aspire-dashboard";

    /// <summary>The namespace of istiod: each NetworkPolicy lets the sidecar reach it (xDS and certificates on 15012).</summary>
    public string ControlPlaneNamespace { get; set; } = "istio-system";
}
