using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace HttpServer.ServiceDefaults.Networking;

/// <summary>X-Forwarded-For/-Proto believed only from a listed network or proxy (loopback too), so a client cannot forge its IP.</summary>
public sealed class TrustedProxyOptions : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    public bool Enabled { get; set; }

    public string[] KnownNetworks { get; set; } = [];

    public string[] KnownProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        // Enabled with no trusted peer, the middleware would trust every peer.
        (Enabled && KnownNetworks.Length == 0 && KnownProxies.Length == 0
            ? [new ValidationResult("expected a ForwardedHeaders:KnownNetworks or KnownProxies entry with Enabled=true", [nameof(Enabled)])]
            : Enumerable.Empty<ValidationResult>())
        // A /0 network (0.0.0.0/0, ::/0) is every peer: as trusting as no list at all.
        .Concat(KnownNetworks.Select((n, i) => (Ok: System.Net.IPNetwork.TryParse(n.Trim(), out var network) && network.PrefixLength > 0, i)).Where(n => !n.Ok)
            .Select(n => new ValidationResult("expected a network in CIDR notation narrower than /0, such as 10.0.0.0/8", [$"{nameof(KnownNetworks)}:{n.i}"])))
        .Concat(KnownProxies.Select((p, i) => (Ok: IPAddress.TryParse(p.Trim(), out _), i)).Where(p => !p.Ok)
            .Select(p => new ValidationResult("expected an IP address, such as 10.0.0.1", [$"{nameof(KnownProxies)}:{p.i}"])));
}

[OptionsValidator]
internal sealed partial class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>;

public static partial class TrustedForwardedHeaders
{
    private const string LogCategory = "HttpServer.ForwardedHeaders";

    // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true (set by Aspire) would trust any peer: its options set to None make it do nothing.
    public static void AddTo(IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<TrustedProxyOptions>(TrustedProxyOptions.SectionName, static (section, o) => section.Bind(o), new TrustedProxyOptionsValidator(), readAtStart: true);
        builder.Services.PostConfigure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.None);
    }

    public static void Use(WebApplication app)
    {
        // The switch as the host's configuration sees it (prefix stripped), compared as the framework compares it.
        if (string.Equals(app.Configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            LogFrameworkSwitchIgnored(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory));
        }
        var trusted = app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        if (!trusted.Enabled)
        {
            return;
        }
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        // The defaults trust loopback, and a proxy on the same host is not the only thing that can connect from there.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        trusted.KnownNetworks.ToList().ForEach(network => options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim())));
        trusted.KnownProxies.ToList().ForEach(proxy => options.KnownProxies.Add(IPAddress.Parse(proxy.Trim())));
        app.UseForwardedHeaders(options);
    }

    [LoggerMessage(1, LogLevel.Warning, "ASPNETCORE_FORWARDEDHEADERS_ENABLED is ignored: it would trust X-Forwarded-For from any peer. "
        + "Use ForwardedHeaders:Enabled with ForwardedHeaders:KnownNetworks or ForwardedHeaders:KnownProxies.")]
    private static partial void LogFrameworkSwitchIgnored(ILogger logger);
}
