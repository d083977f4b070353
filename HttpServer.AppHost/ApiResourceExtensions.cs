namespace Aspire.Hosting;

/// <summary>How one HttpServer.Api instance is wired into the app model.</summary>
internal static class ApiResourceExtensions
{
    /// <summary>
    /// An Api instance with its own name (also its OTEL service name), one HTTP endpoint (a fixed
    /// port when given, else a free one), and a management endpoint (Management__Port) that the health check
    /// and the dashboard's view of the resource use. Other services call it on http.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddApiService(
        this IDistributedApplicationBuilder builder, string name, ApiSettings settings, int? port = null)
    {
        // The Api's own launch profile (port 5080) is not used: each instance gets its endpoint here.
        var service = builder.AddProject<Projects.HttpServer_Api>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, name: "http")
            .WithHttpEndpoint(name: "management", env: "Management__Port")
            .WithEnvironment("VERSION", settings.Version)
            .WithEnvironment("Logging__LogLevel__Default", settings.LogLevel)
            .WithHttpHealthCheck(HttpServer.ServiceDefaults.Health.HealthPaths.Readiness, endpointName: "management");
        if (builder.ExecutionContext.IsRunMode)
        {
            // Locally the services run in the AppHost's environment (Development: readable console
            // logs, no drain delay); a published model leaves it to the deployment.
            service.WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName);
        }
        return service;
    }

    /// <summary>Random latency and errors on the instance's <c>/</c> and <c>/chain</c> (FaultInjection in the Api).</summary>
    public static IResourceBuilder<ProjectResource> WithFaultInjection(
        this IResourceBuilder<ProjectResource> service, ApiSettings settings) => service
            .WithEnvironment("FaultInjection__DelayMinMs", settings.DelayMinMs)
            .WithEnvironment("FaultInjection__DelayMaxMs", settings.DelayMaxMs)
            .WithEnvironment("FaultInjection__ErrorRate", settings.ErrorRate);

    /// <summary>
    /// Calls to <c>GET /chain</c> go on to the downstream, found by service discovery under its
    /// resource name (<c>http://backend</c>); the instance starts once the downstream is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDownstream(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> downstream) => service
            .WithReference(downstream)
            .WithEnvironment("Downstream__BaseUrl", $"http://{downstream.Resource.Name}")
            .WaitFor(downstream);
}
