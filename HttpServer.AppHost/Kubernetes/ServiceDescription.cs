namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// One deployable service as the manifest generator sees it: what the Aspire model says about a
/// resource, already resolved to plain values (no Aspire types), so the generator is a pure function.
/// </summary>
/// <param name="Name">The resource name; also the Deployment, Service and container name (a DNS label).</param>
/// <param name="Image">The container image the resource's project publishes.</param>
/// <param name="Ports">The HTTP endpoints: each a named container port behind a Service port.</param>
/// <param name="Environment">The resource's environment, references already turned into in-cluster addresses.</param>
/// <param name="References">The services this one calls (their endpoints appear in its environment), by name.</param>
/// <param name="IsExternal">True when an endpoint is external (WithExternalHttpEndpoints): it gets an Ingress.</param>
public sealed record ServiceDescription(
    string Name,
    ContainerImage Image,
    IReadOnlyList<ServicePort> Ports,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> References,
    bool IsExternal)
{
    /// <summary>The release: the image tag, which is the project's Version. VERSION and the version label say the same.</summary>
    public string Version => Image.Tag;

    /// <summary>
    /// The container's management port (metrics, probes, operator endpoints), from the image; null when it has none. No
    /// Service or Ingress routes to it: only the kubelet's probes and the monitoring namespace reach it.
    /// </summary>
    public int? ManagementPort { get; init; }

    /// <summary>The port callers and the Ingress use: the first HTTP endpoint's, whatever its name (Service port 80).</summary>
    public string HttpPortName => Ports.Count > 0 ? Ports[0].Name : EndpointNames.Http;

    /// <summary>The port the probes and the scrapes use: management when the image has one, else the HTTP port.</summary>
    public string OperationsPortName => ManagementPort is null ? HttpPortName : EndpointNames.Management;

    /// <summary>Every port the container declares: the Service's, then management.</summary>
    public IEnumerable<(string Name, int ContainerPort)> ContainerPorts =>
        Ports.Select(p => (p.Name, p.ContainerPort)).Concat(ManagementPort is { } m ? [(EndpointNames.Management, m)] : []);

    /// <summary>The services of <paramref name="all"/> that call this one, by name.</summary>
    public IEnumerable<ServiceDescription> CallersIn(IEnumerable<ServiceDescription> all) =>
        all.Where(s => s.References.Contains(Name, StringComparer.Ordinal)).OrderBy(s => s.Name, StringComparer.Ordinal);

    /// <summary>The service's production settings: the AppHost's, with its own changes applied.</summary>
    public KubernetesSettings Settings { get; init; } = new();
}

/// <summary>The endpoint names the generator knows: <c>http</c> (the default), <c>management</c>, which no Service or Ingress routes.</summary>
public static class EndpointNames
{
    public const string Http = "http";
    public const string Management = "management";
}

/// <summary>A container image reference: repository (with registry, if any) and tag.</summary>
public sealed record ContainerImage(string Repository, string Tag)
{
    /// <summary>The repository's last part, without registry and path: <c>httpserver-api</c>, the program the image runs.</summary>
    public string Name => Repository[(Repository.LastIndexOf('/') + 1)..];

    public override string ToString() => $"{Repository}:{Tag}";
}

/// <summary>A named endpoint: the container listens on <paramref name="ContainerPort"/>, the Service on <paramref name="Port"/>.</summary>
public sealed record ServicePort(string Name, int ContainerPort, int Port);

/// <summary>Bad input to the generator (an unmappable resource, missing image settings): nothing gets written.</summary>
public sealed class ManifestGenerationException(string message) : Exception(message);
