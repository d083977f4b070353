using System.Buffers;
using System.Collections.Frozen;

namespace HttpServer.Api.Echo;

/// <summary>Which request headers are copied onto the response, and which values can be.</summary>
internal static class EchoedHeaders
{
    /// <summary>
    /// Never echoed, because the response has its own or because a client must not be able to set them on a
    /// response that browsers, caches and proxies trust as the server's (docs/http.md, "Headers never echoed"):
    /// hop-by-hop and framing headers; the request's own Host and Expect; cookies and caching; CORS and security
    /// policy; redirects and links; authentication challenges; the server's identity, date and VERSION.
    /// Also skipped: names that are not tokens, every "Proxy-*" and "Access-Control-*" header, "Content-Security-Policy*", HTTP/2
    /// pseudo-headers, and the headers the request's Connection header names (hop-by-hop by nomination).
    /// </summary>
    public static readonly FrozenSet<string> Excluded = new[]
    {
        // Hop-by-hop (RFC 9110 7.6.1) and body framing: they describe this connection and the request's body.
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Content-Length", "Content-Encoding", "Content-Range",
        "Host", "Expect",
        // Cookies and caching: a shared cache would store an attacker's response for everyone.
        "Set-Cookie", "Set-Cookie2", "Cache-Control", "Expires", "Vary", "Pragma", "Age", "ETag", "Last-Modified",
        // Security policy a browser applies to the whole origin.
        "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
        "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
        "Clear-Site-Data",
        // Redirects, links and challenges: they send a browser elsewhere or ask it for credentials.
        "Location", "Content-Location", "Refresh", "Link", "Alt-Svc", "WWW-Authenticate", "Authentication-Info",
        // The server's own.
        "Server", "Date", "VERSION",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsEchoed(string name) =>
        IsToken(name)
        && !Excluded.Contains(name)
        && !name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith(':');

    /// <summary>
    /// A value Kestrel can write back: visible ASCII, spaces and tabs. Kestrel accepts UTF-8 and obs-text in request
    /// headers but refuses them in response headers (the whole response would fail), so such a value is skipped.
    /// </summary>
    public static bool IsWritable(string? value) => !value.AsSpan().ContainsAnyExcept(Writable);

    /// <summary>A header name as RFC 9110 defines one (a token): Kestrel lets control bytes through in request names.</summary>
    public static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> Writable =
        SearchValues.Create("\t" + string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)));

    /// <summary>Copies every echoed header with each of its values that can be written back.</summary>
    public static void CopyTo(IHeaderDictionary request, IHeaderDictionary response)
    {
        var nominated = request.Connection;
        foreach (var (name, values) in request)
        {
            if (!IsEchoed(name) || IsNominated(nominated, name))
            {
                continue;
            }
            if (AllWritable(values))
            {
                response.Append(name, values); // the usual case: every value at once, no copy
                continue;
            }
            foreach (var value in values)
            {
                if (IsWritable(value))
                {
                    response.Append(name, value);
                }
            }
        }
    }

    private static bool AllWritable(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (!IsWritable(value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when the request's Connection header lists <paramref name="name"/> (comma-separated tokens).</summary>
    private static bool IsNominated(Microsoft.Extensions.Primitives.StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            foreach (var token in (value ?? "").AsSpan().Split(','))
            {
                if (value.AsSpan()[token].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
