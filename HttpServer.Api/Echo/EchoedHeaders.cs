using System.Collections.Frozen;

namespace HttpServer.Api.Echo;

/// <summary>Which request headers are copied onto the response.</summary>
internal static class EchoedHeaders
{
    /// <summary>
    /// Never echoed: hop-by-hop headers (RFC 9110 7.6.1), those that frame or encode the body (the response
    /// has its own), Host and Expect (they describe the request), and VERSION (the server's own value wins).
    /// Any header starting with "Proxy-" and HTTP/2 pseudo-headers (":authority") are skipped as well.
    /// </summary>
    public static readonly FrozenSet<string> Excluded = new[]
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Content-Length", "Content-Encoding", "Content-Range",
        "Host", "Expect", "VERSION",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsEchoed(string name) =>
        !Excluded.Contains(name)
        && !name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith(':');

    /// <summary>Copies every echoed header with all its values.</summary>
    public static void CopyTo(IHeaderDictionary request, IHeaderDictionary response)
    {
        foreach (var (name, values) in request)
        {
            if (IsEchoed(name))
            {
                response.Append(name, values);
            }
        }
    }
}
