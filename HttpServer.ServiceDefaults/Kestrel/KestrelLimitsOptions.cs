using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HttpServer.ServiceDefaults.Kestrel;

/// <summary>Kestrel's request-size limits from configuration (the host binds only endpoints from its section); read at start.</summary>
public sealed class KestrelLimitsOptions
{
    public const string SectionName = "Kestrel:Limits";

    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    [Range(1, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    [Range(256, 64 * 1024)]
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    [Range(0, 1024 * 1024 * 1024)]
    public int MaxRequestBodySize { get; set; } = 30_000_000;

    public static void AddTo(IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<KestrelLimitsOptions>(SectionName, static (section, o) => section.Bind(o), new KestrelLimitsOptionsValidator(), readAtStart: true);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<KestrelLimitsOptions>>((kestrel, options) =>
        {
            var (limits, configured) = (kestrel.Limits, options.Value);
            limits.MaxRequestHeadersTotalSize = configured.MaxRequestHeadersTotalSize;
            limits.MaxRequestHeaderCount = configured.MaxRequestHeaderCount;
            limits.MaxRequestLineSize = configured.MaxRequestLineSize;
            limits.MaxRequestBodySize = configured.MaxRequestBodySize;
        });
    }
}

[OptionsValidator]
internal sealed partial class KestrelLimitsOptionsValidator : IValidateOptions<KestrelLimitsOptions>;
