using System.Net.Sockets;
using System.Text;

namespace HttpServer.Api.Tests.Chain;

/// <summary>
/// A real HTTP/1.1 peer on 127.0.0.1 for downstream tests: it reads one request's head, keeps its
/// headers, and answers with the given raw response, or never answers when it is null.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public LoopbackHttpServer(string? rawResponse)
    {
        _listener.Start();
        _serving = ServeAsync(rawResponse, _stop.Token);
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Header lines of the last request, e.g. "traceparent: 00-...".</summary>
    public IReadOnlyList<string> RequestHeaders { get; private set; } = [];

    /// <summary>Requests received so far.</summary>
    public int Requests { get; private set; }

    public static string JsonResponse(string json) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\nConnection: close\r\n\r\n{json}";

    public static string StatusResponse(int status, string reason) =>
        $"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private async Task ServeAsync(string? rawResponse, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                RequestHeaders = head.ToString().Split("\r\n").Skip(1).Where(l => l.Length > 0).ToArray();
                Requests++;
                if (rawResponse is null)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                await stream.WriteAsync(Encoding.UTF8.GetBytes(rawResponse!), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
