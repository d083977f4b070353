using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HttpServer.Api.Faults;

/// <summary>Section <c>FaultInjection</c>, applied to <c>/</c> and <c>/chain</c>; everything off by default; reloadable.</summary>
public sealed class FaultInjectionOptions : IValidatableObject
{
    public const string SectionName = "FaultInjection";

    /// <summary>Smallest injected delay in milliseconds.</summary>
    [Range(0, 60_000)]
    public int DelayMinMs { get; set; }

    /// <summary>Largest injected delay in milliseconds; 0 turns delay injection off.</summary>
    [Range(0, 60_000)]
    public int DelayMaxMs { get; set; }

    /// <summary>Share of requests, 0 to 1, answered with <see cref="ErrorStatusCode"/> instead.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>An injected error is an error: a 2xx or 3xx here would report success while failing the request.</summary>
    [Range(400, 599)]
    public int ErrorStatusCode { get; set; } = StatusCodes.Status503ServiceUnavailable;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DelayMinMs > DelayMaxMs)
        {
            yield return new($"expected at most {nameof(DelayMaxMs)} ({DelayMaxMs}), which is 0 when the delay is off", [nameof(DelayMinMs)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class FaultInjectionOptionsValidator : IValidateOptions<FaultInjectionOptions>;
