namespace Aspire.Hosting;

/// <summary>The AppHost's parameters (values come from configuration: appsettings.json, env, command line).</summary>
internal sealed record ApiSettings(
    IResourceBuilder<ParameterResource> Version,
    IResourceBuilder<ParameterResource> LogLevel,
    IResourceBuilder<ParameterResource> DelayMinMs,
    IResourceBuilder<ParameterResource> DelayMaxMs);

/// <summary>How one HttpServer.Api instance is wired into the app model.</summary>
internal static class ApiResourceExtensions
{
    public const string ReadinessPath = "/readyz";

    /// <summary>Parameters read from the configuration section <c>Parameters</c> (see appsettings.json).</summary>
    public static ApiSettings AddApiSettings(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("version"),
        builder.AddParameter("log-level"),
        builder.AddParameter("backend-delay-min-ms"),
        builder.AddParameter("backend-delay-max-ms"));

    /// <summary>
    /// An Api instance with its own name (also its OTEL service name), one HTTP endpoint (a fixed
    /// port when given, else a free one) and a health check on readiness.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddApiService(
        this IDistributedApplicationBuilder builder, string name, ApiSettings settings, int? port = null) =>
        // The Api's own launch profile (port 5080) is not used: each instance gets its endpoint here.
        builder.AddProject<Projects.HttpServer_Api>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, name: "http")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("VERSION", settings.Version)
            .WithEnvironment("Logging__LogLevel__Default", settings.LogLevel)
            .WithHttpHealthCheck(ReadinessPath);

    /// <summary>Random latency on the instance's responses (see FaultInjection in the Api).</summary>
    public static IResourceBuilder<ProjectResource> WithFaultInjection(
        this IResourceBuilder<ProjectResource> service, ApiSettings settings) => service
            .WithEnvironment("FaultInjection__DelayMinMs", settings.DelayMinMs)
            .WithEnvironment("FaultInjection__DelayMaxMs", settings.DelayMaxMs);

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
