using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// X-Forwarded-For/-Proto from configuration only (section <c>ForwardedHeaders</c>: <c>Enabled</c>,
/// <c>KnownNetworks</c> as CIDR, <c>KnownProxies</c> as addresses), so a client cannot forge the IP the access log
/// and the app see: only a listed peer is trusted, loopback included.
/// </summary>
public static partial class ForwardedHeadersExtensions
{
    public const string SectionName = "ForwardedHeaders";
    public const string LogCategory = "HttpServer.ForwardedHeaders";

    /// <summary>ASPNETCORE_FORWARDEDHEADERS_ENABLED as the host's configuration sees it (prefix stripped).</summary>
    internal const string FrameworkSwitch = "FORWARDEDHEADERS_ENABLED";

    /// <summary>
    /// Removes ASP.NET Core's own forwarded-headers wiring (internal types, found by name): with
    /// ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which Aspire sets on every published project, it trusts
    /// X-Forwarded-For from any peer. The variable then has no effect; <see cref="UseConfiguredForwardedHeaders"/> warns.
    /// </summary>
    public static TBuilder AddConfiguredForwardedHeaders<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (IsFrameworkForwardedHeaders(services[i]))
            {
                services.RemoveAt(i);
            }
        }
        return builder;
    }

    /// <summary>
    /// The forwarded-headers middleware when <c>ForwardedHeaders:Enabled</c> is true, trusting only the configured
    /// networks and proxies. With neither listed nothing is trusted: the middleware would otherwise trust every peer.
    /// </summary>
    public static WebApplication UseConfiguredForwardedHeaders(this WebApplication app)
    {
        // Compared as the framework compares it: any other value never enabled it.
        if (string.Equals(app.Configuration[FrameworkSwitch], "true", StringComparison.OrdinalIgnoreCase))
        {
            LogFrameworkSwitchIgnored(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory));
        }
        var section = app.Configuration.GetSection(SectionName);
        if (!section.GetValue<bool>("Enabled"))
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        // The defaults trust loopback, and a proxy on the same host is not the only thing that can connect from there.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var network in Values(section, "KnownNetworks"))
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        foreach (var proxy in Values(section, "KnownProxies"))
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        if (options.KnownIPNetworks.Count == 0 && options.KnownProxies.Count == 0)
        {
            return app;
        }
        return (WebApplication)app.UseForwardedHeaders(options);
    }

    private static bool IsFrameworkForwardedHeaders(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType is { Name: "ForwardedHeadersStartupFilter" or "ForwardedHeadersOptionsSetup" } type
        && type.Assembly == typeof(WebApplication).Assembly;

    // Array entries one by one, not the binder: nothing here needs reflection under NativeAOT.
    private static IEnumerable<string> Values(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0);

    [LoggerMessage(1, LogLevel.Warning, "ASPNETCORE_FORWARDEDHEADERS_ENABLED is ignored: it would trust X-Forwarded-For from any peer. "
        + "Use ForwardedHeaders:Enabled with ForwardedHeaders:KnownNetworks or ForwardedHeaders:KnownProxies.")]
    private static partial void LogFrameworkSwitchIgnored(ILogger logger);
}
