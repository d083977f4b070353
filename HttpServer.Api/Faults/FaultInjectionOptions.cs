namespace HttpServer.Api.Faults;

/// <summary>Section <c>FaultInjection</c>, applied to <c>/</c> and <c>/chain</c>; everything off by default; reloadable.
/// The ranges are rules of <see cref="ApiSettings"/>.</summary>
public sealed class FaultInjectionOptions
{
    public const string SectionName = "FaultInjection";

    /// <summary>Smallest injected delay in milliseconds.</summary>
    public int DelayMinMs { get; set; }

    /// <summary>Largest injected delay in milliseconds; 0 turns delay injection off.</summary>
    public int DelayMaxMs { get; set; }

    /// <summary>Share of requests, 0 to 1, answered with <see cref="ErrorStatusCode"/> instead.</summary>
    public double ErrorRate { get; set; }

    public int ErrorStatusCode { get; set; } = StatusCodes.Status503ServiceUnavailable;
}
