using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HttpServer.Testing;

/// <summary>
/// Bytes a real client library would never send, over a real socket to 127.0.0.1: what comes back, read until the
/// server closes the connection or the time is up, as Latin-1 text (one char per byte). The client never half-closes:
/// Kestrel takes that as the client going away and answers nothing.
/// </summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(int port, byte[] request, TimeSpan? timeout = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            // The server may close before it has read everything (a rejected request): its answer is still there.
        }
        return await ReadAllAsync(stream, timeout ?? TimeSpan.FromSeconds(10));
    }

    public static Task<string> SendAsync(int port, string request, TimeSpan? timeout = null) =>
        SendAsync(port, Encoding.Latin1.GetBytes(request), timeout);

    /// <summary>The status code of the first response in <paramref name="raw"/>; null when nothing came back.</summary>
    public static int? StatusOf(string raw) =>
        raw.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && raw.Length >= 12 ? int.Parse(raw.AsSpan(9, 3), provider: null) : null;

    private static async Task<string> ReadAllAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellation.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Time is up, or the server reset the connection: keep what arrived.
        }
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
