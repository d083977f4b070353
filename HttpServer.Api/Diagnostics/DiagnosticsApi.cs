using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace HttpServer.Api.Diagnostics;

/// <summary>Endpoints for trying clients, probes and proxies: a chosen delay or a chosen status code.</summary>
internal static class DiagnosticsApi
{
    public const double MaxDelaySeconds = 10;
    public const int MinStatusCode = 200;
    public const int MaxStatusCode = 599;

    /// <summary>
    /// The header RFC 9110 requires (or, for redirects and 416, recommends) with a status, so a client under test sees a
    /// well-formed answer: a redirect leads to <c>/</c>, a challenge is <c>Bearer</c> (<c>Basic</c> would make a browser
    /// prompt for a password). 426's <c>Upgrade</c> is left out: no protocol here could be upgraded to.
    /// </summary>
    public static readonly FrozenDictionary<int, (string Name, string Value)> HeaderRequiredWith = new Dictionary<int, (string, string)>
    {
        [StatusCodes.Status301MovedPermanently] = ("Location", "/"),
        [StatusCodes.Status302Found] = ("Location", "/"),
        [StatusCodes.Status303SeeOther] = ("Location", "/"),
        [StatusCodes.Status307TemporaryRedirect] = ("Location", "/"),
        [StatusCodes.Status308PermanentRedirect] = ("Location", "/"),
        [StatusCodes.Status401Unauthorized] = ("WWW-Authenticate", "Bearer realm=\"httpserver\""),
        [StatusCodes.Status405MethodNotAllowed] = ("Allow", string.Join(", ", ReadMethods.GetAndHead)),
        [StatusCodes.Status407ProxyAuthenticationRequired] = ("Proxy-Authenticate", "Bearer realm=\"httpserver\""),
        [StatusCodes.Status416RangeNotSatisfiable] = ("Content-Range", "bytes */0"),
    }.ToFrozenDictionary();

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/delay/{seconds}", ReadMethods.GetAndHead, Delay).WithName("Delay");
        app.MapMethods("/status/{code}", ReadMethods.GetAndHead, Status).WithName("Status");
        return app;
    }

    /// <summary>Waits 0 to 10 seconds (fractions allowed, e.g. 0.25), then answers 200.</summary>
    public static async Task<Results<Ok<DelayResponse>, ProblemHttpResult>> Delay(string seconds, CancellationToken cancellationToken)
    {
        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0 || value > MaxDelaySeconds)
        {
            return BadRequest($"'{seconds}' is not a number of seconds from 0 to {MaxDelaySeconds}.");
        }
        await Task.Delay(TimeSpan.FromSeconds(value), cancellationToken);
        return TypedResults.Ok(new DelayResponse(value));
    }

    /// <summary>Answers the given status code, 200 to 599: errors as ProblemDetails, bodiless codes empty.</summary>
    public static Results<JsonHttpResult<StatusResponse>, StatusCodeHttpResult, ProblemHttpResult> Status(string code, HttpResponse response)
    {
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || status < MinStatusCode || status > MaxStatusCode)
        {
            return BadRequest($"'{code}' is not a status code from {MinStatusCode} to {MaxStatusCode}.");
        }
        if (HeaderRequiredWith.TryGetValue(status, out var header))
        {
            response.Headers[header.Name] = header.Value;
        }
        return status switch
        {
            >= 400 => TypedResults.Problem(statusCode: status, title: ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason ? reason : $"Status {status}",
                detail: $"Status {status} was requested."),
            >= 300 or StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent => TypedResults.StatusCode(status),
            _ => TypedResults.Json(new StatusResponse(status), ApiJsonContext.Default.StatusResponse, statusCode: status),
        };
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid route value", detail: detail);
}

internal sealed record DelayResponse(double DelaySeconds);

internal sealed record StatusResponse(int Status);
