using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class KestrelLimitsExtensions
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>
    /// The request-size limits from configuration (<c>Kestrel:Limits:MaxRequestHeadersTotalSize</c>,
    /// <c>MaxRequestHeaderCount</c>, <c>MaxRequestLineSize</c>,
    /// <c>MaxRequestBodySize</c>), so a ConfigMap can change them without a rebuild:
    /// the host binds only Kestrel's endpoints from its section. Their ranges are rules of ServiceDefaultsSettings.
    /// </summary>
    public static TBuilder AddKestrelLimits<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.Configure<KestrelServerOptions>(options =>
        {
            var limits = options.Limits;
            limits.MaxRequestHeadersTotalSize = section.GetValue("MaxRequestHeadersTotalSize", limits.MaxRequestHeadersTotalSize);
            limits.MaxRequestHeaderCount = section.GetValue("MaxRequestHeaderCount", limits.MaxRequestHeaderCount);
            limits.MaxRequestLineSize = section.GetValue("MaxRequestLineSize", limits.MaxRequestLineSize);
            limits.MaxRequestBodySize = section.GetValue("MaxRequestBodySize", limits.MaxRequestBodySize);
        });
        return builder;
    }
}
