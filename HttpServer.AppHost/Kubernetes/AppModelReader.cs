namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Reads the Aspire application model into service descriptions: project resources become services (image
/// from their project file), parameters are inlined where used, every other resource type is an error.
/// </summary>
public static class AppModelReader
{
    public const string ForwardedHeadersSwitch = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <param name="model">The application model.</param>
    /// <param name="executionContext">Publish mode: what the environment callbacks see.</param>
    /// <param name="cancellationToken">Cancels the parameter look-ups.</param>
    /// <param name="settings">The AppHost's production settings; each service gets a copy with its own changes.</param>
    public static async Task<IReadOnlyList<ServiceDescription>> ReadAsync(DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken, KubernetesSettings? settings = null)
    {
        foreach (var resource in model.Resources.Where(r => r is not (ProjectResource or ParameterResource)))
        {
            // A parameter is inlined into the environment of the resources that use it.
            throw new ManifestGenerationException(
                $"Resource '{resource.Name}' of type {resource.GetType().Name} cannot be mapped to Kubernetes objects: "
                + "only .NET project resources (AddProject) and parameters are supported.");
        }
        var projects = model.Resources.OfType<ProjectResource>()
            .Select(p => (Resource: p, Image: ContainerImageSettings.Read(p.Name, p.GetProjectMetadata().ProjectPath))).ToList();
        var ports = projects.ToDictionary(p => p.Resource.Name, p => (IReadOnlyList<ServicePort>)Ports(p.Resource, p.Image), StringComparer.Ordinal);
        var addresses = new ServiceAddresses(ports);
        var services = new List<ServiceDescription>();
        foreach (var (resource, image) in projects)
        {
            var environment = await EnvironmentAsync(resource, executionContext, addresses, cancellationToken);
            var references = addresses.TakeReferences().Where(r => r != resource.Name).Order(StringComparer.Ordinal).ToList();
            var shared = settings ?? new KubernetesSettings();
            var own = shared.Clone();
            foreach (var annotation in resource.Annotations.OfType<KubernetesSettingsAnnotation>())
            {
                annotation.Configure(own);
            }
            ClusterWideSettings.RefuseChanges(resource.Name, own, shared);
            own.Validate(resource.Name);
            var external = resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.IsExternal);
            services.Add(new ServiceDescription(resource.Name, image.Image, ports[resource.Name], environment, references, external)
            {
                Settings = own,
                ManagementPort = image.ManagementPort,
            });
        }
        return services;
    }

    /// <summary>
    /// HTTP endpoints: the container listens on the endpoint's target port or the image's port; the first
    /// HTTP endpoint's Service listens on 80, so <c>http://name</c> reaches it as in local service discovery.
    /// The <c>management</c> endpoint is no Service port: the image's management port, which the container declares.
    /// </summary>
    private static List<ServicePort> Ports(ProjectResource project, ContainerImageSettings image)
    {
        var ports = new List<ServicePort>();
        foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>())
        {
            if (endpoint.Name == EndpointNames.Management)
            {
                if (image.ManagementPort is null)
                {
                    throw new ManifestGenerationException(
                        $"Resource '{project.Name}' has a management endpoint, but its image sets no {ContainerImageSettings.ManagementPortVariable}.");
                }
                continue;
            }
            if (endpoint.UriScheme != "http")
            {
                throw new ManifestGenerationException(
                    $"Resource '{project.Name}': endpoint '{endpoint.Name}' uses '{endpoint.UriScheme}'; only plain http endpoints are mapped (TLS ends at the Ingress).");
            }
            var containerPort = endpoint.TargetPort ?? image.Port;
            if (ports.Any(p => p.ContainerPort == containerPort))
            {
                throw new ManifestGenerationException($"Resource '{project.Name}': endpoint '{endpoint.Name}' needs a target port of its own.");
            }
            ports.Add(new ServicePort(endpoint.Name, containerPort, ports.Count == 0 ? 80 : containerPort));
        }
        return ports;
    }

    private static async Task<SortedDictionary<string, string>> EnvironmentAsync(
        ProjectResource resource, DistributedApplicationExecutionContext executionContext, ServiceAddresses addresses, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(executionContext, resource, values, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        // Every project alike, however it was added. Aspire sets the switch on each published project: it would make
        // ASP.NET Core trust X-Forwarded-For from any peer (trusted proxies are the app's own setting, not a blanket switch).
        values.Remove(ForwardedHeadersSwitch);
        // Management endpoints are reached by no other service: their service-discovery entries go, and a resource's own
        // port variable (WithHttpEndpoint(env: ...)) too, since the image sets it with the port the container declares.
        foreach (var name in values.Where(v => v.Value is EndpointReference { EndpointName: EndpointNames.Management }
            or EndpointReferenceExpression { Endpoint.EndpointName: EndpointNames.Management }).Select(v => v.Key).ToList())
        {
            values.Remove(name);
        }
        // Without it the OpenTelemetry SDK names every service after its entry assembly: both Api instances "HttpServer.Api".
        values[ServiceNameVariable] = resource.Name;
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            environment[name] = await addresses.MapAsync(resource.Name, name, value, cancellationToken);
        }
        return environment;
    }
}
