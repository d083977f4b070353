using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace HttpServer.Api.Chain;

/// <summary>Section <c>Downstream</c>: the service that <c>GET /chain</c> calls next, if any.</summary>
public sealed class DownstreamOptions : IValidatableObject
{
    public const string SectionName = "Downstream";

    /// <summary>
    /// Base URL of the downstream service, e.g. <c>http://backend</c> (resolved by service discovery);
    /// unset or empty: <c>/chain</c> answers its own part only.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Time one attempt may take before it is cancelled (and retried).</summary>
    [Range(0.1, 60.0)]
    public double AttemptTimeoutSeconds { get; set; } = 2;

    /// <summary>Time all attempts together may take: a failing downstream is reported within this.</summary>
    [Range(0.2, 120.0)]
    public double TotalTimeoutSeconds { get; set; } = 5;

    /// <summary>Retries after a failed attempt (refused, timed out, 5xx, 408, 429); 0: none.</summary>
    [Range(0, 5)]
    public int MaxRetryAttempts { get; set; } = 2;

    public Uri? BaseUri => string.IsNullOrWhiteSpace(BaseUrl) ? null : new Uri(BaseUrl.Trim(), UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && !(Uri.TryCreate(BaseUrl.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new("expected empty, or an absolute http or https URL such as http://backend", [nameof(BaseUrl)]);
        }
        // The resilience handler's own rule, checked here so that it refuses a start or a reload with one line, not a crash.
        if (AttemptTimeoutSeconds >= TotalTimeoutSeconds)
        {
            yield return new($"expected below {nameof(TotalTimeoutSeconds)} ({TotalTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}): one attempt can't outlast all of them",
                [nameof(AttemptTimeoutSeconds)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class DownstreamOptionsValidator : IValidateOptions<DownstreamOptions>;
