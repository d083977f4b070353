using Microsoft.AspNetCore.RateLimiting;

namespace HttpServer.ServiceDefaults.Management;

/// <summary>The management port (section <c>Management</c>): metrics and operator endpoints off the public path.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management listener's port, beside the public one(s); 0 keeps one port for everything. Read once at start.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public bool Enabled => Port > 0;
}

[OptionsValidator]
internal sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;

/// <summary>The range, and a port apart from the public ones, which are read once at start (Kestrel would fail to bind it twice).</summary>
internal sealed class ManagementPortCheck(int[] publicPorts) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        var result = new ManagementOptionsValidator().Validate(name, options);
        return result.Failed || !options.Enabled || !publicPorts.Contains(options.Port) ? result
            : ValidateOptionsResult.Fail($"{nameof(ManagementOptions.Port)}: expected a port other than the public one(s), {string.Join(", ", publicPorts)} (HTTP_PORTS or urls)");
    }
}

public static class ManagementPort
{
    // The operator endpoints' rate limit: a loop can't flood the log.
    public const string RateLimiterPolicy = "operator";

    /// <summary>
    /// With <c>Management__Port</c>, Kestrel listens on it too, on the first address's host, beside the host's own addresses
    /// (<c>urls</c>, else <c>HTTP_PORTS</c>, else its default), which the web host reads from configuration when it starts.
    /// </summary>
    public static IHostApplicationBuilder AddManagementPort(this IHostApplicationBuilder builder)
    {
        // What the web host would listen on without a management port (GenericWebHostService's order).
        var ports = (builder.Configuration[WebHostDefaults.HttpPortsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured
            : ports.Length > 0 ? string.Join(';', ports.Select(p => $"http://*:{p}")) : "http://localhost:5000";
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BindingAddress.Parse).ToArray();
        builder.AddCheckedOptions<ManagementOptions>(ManagementOptions.SectionName, static (section, o) => section.Bind(o),
            new ManagementPortCheck([.. addresses.Select(a => a.Port).Distinct()]), readAtStart: true);
        builder.Services.AddSingleton<ReadinessToggle>();
        builder.Services.AddSingleton<SettingsReporter>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddFixedWindowLimiter(RateLimiterPolicy, window => (window.PermitLimit, window.Window, window.QueueLimit) = (20, TimeSpan.FromSeconds(10), 0));
        });

        // The options check refuses a bad value by name before anything binds; here an unparsable one is simply not a port.
        if (int.TryParse(builder.Configuration[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}"], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535)
        {
            // HTTP_PORTS emptied too, now that urls says it all: the host would warn that urls overrides it.
            builder.Configuration.AddInMemoryCollection([
                new(WebHostDefaults.ServerUrlsKey, $"{urls};http://{addresses[0].Host}:{port}"),
                new(WebHostDefaults.HttpPortsKey, ""),
            ]);
        }
        return builder;
    }

    /// <summary>
    /// The management port's paths answer 404 on other ports: the connection's local port decides, not the client's Host header.
    /// By path, not endpoint metadata: a wrong method's 405 endpoint has none, and would tell the public port the path exists.
    /// </summary>
    public static WebApplication UseManagementPort(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }
        app.UseRateLimiter();
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != options.Port && Array.Exists(ManagementPaths.ManagementOnly, p => context.Request.Path.StartsWithSegments(p)))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        return app;
    }
}
