using System.Buffers;
using System.Collections.Frozen;

namespace HttpServer.Api.Echo;

/// <summary>Which request headers are copied onto the response, and which values can be.</summary>
internal static class EchoedHeaders
{
    /// <summary>
    /// The one list of headers never echoed (docs/http.md points here), each group with why: the response has its own, or
    /// browsers, caches, CDNs and the proxy in front would take a client's value as the server's word. Case-insensitive; a
    /// name ending in '*' is a prefix, one starting with '*' a suffix. Also skipped: names that are not tokens (so HTTP/2
    /// pseudo-headers) and the headers the request's Connection header names (hop-by-hop by nomination).
    /// </summary>
    public static readonly (string Why, string[] Names)[] Refused =
    [
        ("hop-by-hop (RFC 9110 7.6.1): they describe one connection",
            ["Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-*"]),
        ("they describe the request and its body, not the response, which has none",
            ["Content-*", "Host", "Expect", "Digest", "Repr-Digest"]),
        ("what browsers, shared caches and CDNs do with the response: store it for everyone, set a cookie, retry later",
            ["Set-Cookie", "Set-Cookie2", "*Cache-Control", "Surrogate-*", "Edge-Control", "Cache-Tag", "Expires", "Vary",
                "Pragma", "Age", "ETag", "Last-Modified", "Warning", "Accept-Ranges", "Retry-After"]),
        ("orders to the proxy in front: serve an internal location or a file, throttle, buffer, change the status",
            ["X-Accel-*", "X-Sendfile*", "X-Lighttpd-Send-File", "X-Reproxy-URL", "Status"]),
        ("CORS, security, reporting and client-hint policy that a browser applies to the whole origin",
            ["Access-Control-*", "Content-Security-Policy*", "Strict-Transport-Security", "X-Frame-Options",
                "X-Content-Type-Options", "X-XSS-Protection", "X-Permitted-Cross-Domain-Policies", "Referrer-Policy",
                "Permissions-Policy", "Document-Policy", "Cross-Origin-*", "Origin-Agent-Cluster", "Timing-Allow-Origin",
                "Clear-Site-Data", "Reporting-Endpoints", "Report-To", "NEL", "Accept-CH", "Critical-CH", "Expect-CT",
                "Public-Key-Pins*", "Service-Worker-Allowed", "X-Robots-Tag"]),
        ("redirects, preloads, alternative services and credential prompts: they send a browser elsewhere",
            ["Location", "Refresh", "Link", "Alt-Svc", "WWW-Authenticate", "Authentication-Info"]),
        ("the server's own: its identity, its clock, its version, its methods",
            ["Server", "Date", "VERSION", "Allow"]),
    ];

    private static readonly FrozenSet<string> Names = Refused.SelectMany(g => g.Names).Where(n => !n.Contains('*'))
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Prefixes = [.. Refused.SelectMany(g => g.Names).Where(n => n.EndsWith('*')).Select(n => n[..^1])];

    private static readonly string[] Suffixes = [.. Refused.SelectMany(g => g.Names).Where(n => n.StartsWith('*')).Select(n => n[1..])];

    public static bool IsEchoed(string name) =>
        IsToken(name)
        && !Names.Contains(name)
        && !HasAny(name, Prefixes, atStart: true)
        && !HasAny(name, Suffixes, atStart: false);

    // A loop, not Array.Exists with a lambda: this runs for every header of every echo, and the lambda would allocate.
    private static bool HasAny(string name, string[] parts, bool atStart)
    {
        foreach (var part in parts)
        {
            if (atStart ? name.StartsWith(part, StringComparison.OrdinalIgnoreCase) : name.EndsWith(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

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
