namespace HttpServer.Api.Chain;

/// <summary>
/// One service's part of a <c>/chain</c> answer: who answered, in which trace, the <c>traceparent</c>
/// it received (null when called without one), and the next service's answer when there is one.
/// </summary>
internal sealed record ChainResponse(
    string Service,
    string Version,
    string? TraceId,
    string? Traceparent,
    ChainResponse? Downstream);
