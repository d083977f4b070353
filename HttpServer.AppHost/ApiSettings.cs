namespace Aspire.Hosting;

/// <summary>The AppHost's parameters (values come from configuration: appsettings.json, env, command line).</summary>
internal sealed record ApiSettings(
    IResourceBuilder<ParameterResource> Version,
    IResourceBuilder<ParameterResource> LogLevel,
    IResourceBuilder<ParameterResource> DelayMinMs,
    IResourceBuilder<ParameterResource> DelayMaxMs,
    IResourceBuilder<ParameterResource> ErrorRate);

internal static class ApiSettingsExtensions
{
    /// <summary>Parameters read from the configuration section <c>Parameters</c> (see appsettings.json).</summary>
    public static ApiSettings AddApiSettings(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("version"),
        builder.AddParameter("log-level"),
        builder.AddParameter("backend-delay-min-ms"),
        builder.AddParameter("backend-delay-max-ms"),
        builder.AddParameter("backend-error-rate"));
}
