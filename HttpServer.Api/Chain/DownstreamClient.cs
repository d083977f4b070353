using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HttpServer.Api.Chain;

/// <summary>A downstream call that failed; the message names the cause.</summary>
internal sealed class DownstreamException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Typed client for the downstream service's <c>/chain</c>. Retries and timeouts come from the
/// resilience handler; trace context (<c>traceparent</c>) is added by the HttpClient instrumentation. The caller's
/// <c>x-request-id</c> (set by an Istio or Envoy proxy in front) goes on as it is when it can be sent, so the proxies' access logs of one
/// request join up along the chain.
/// </summary>
internal sealed class DownstreamClient(HttpClient http)
{
    public const string ChainPath = "/chain";

    public const string RequestIdHeader = "x-request-id";

    public bool IsConfigured => http.BaseAddress is not null;

    /// <summary>The downstream's answer; <see cref="DownstreamException"/> for any failure of the downstream.</summary>
    public async Task<ChainResponse> GetChainAsync(string? requestId, CancellationToken cancellationToken)
    {
        var target = new Uri(http.BaseAddress!, ChainPath);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, ChainPath);
            // Visible ASCII only, else dropped: HttpClient refuses to send anything else (UTF-8 such as "café"), and it would
            // do so inside the resilience pipeline, which would retry it and count it towards the circuit breaker, so
            // that one client's header would fail /chain for everyone.
            if (!string.IsNullOrEmpty(requestId) && !requestId.AsSpan().ContainsAnyExceptInRange(' ', '~'))
            {
                message.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
            }
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DownstreamException($"{target} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ChainResponse, cancellationToken)
                ?? throw new DownstreamException($"{target} answered an empty body.");
        }
        catch (HttpRequestException ex)
        {
            throw new DownstreamException($"{target} could not be reached: {ex.Message}", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new DownstreamException($"{target} did not answer within {ex.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new DownstreamException($"{target} is failing: the circuit breaker is open. {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new DownstreamException($"{target} answered JSON that is not a chain answer: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout (no resilience handler in the way) surfaces as a cancellation.
            throw new DownstreamException($"{target} did not answer within {http.Timeout.TotalSeconds:0.#} s.", ex);
        }
    }
}
