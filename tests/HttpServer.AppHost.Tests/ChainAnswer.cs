namespace HttpServer.AppHost.Tests;

/// <summary>The JSON of <c>GET /chain</c>, as a client reads it.</summary>
public sealed record ChainAnswer(string Service, string Version, string? TraceId, string? Traceparent, ChainAnswer? Downstream);
