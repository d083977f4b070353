using System.Net.Sockets;
using HttpServer.Conformance.Tests.Infrastructure;
using k8s.Models;

namespace HttpServer.Conformance.Tests.Kubelet;

public sealed record ProbeResult(bool Success, int? StatusCode, string Detail);

/// <summary>One probe, as the kubelet runs it: httpGet succeeds on 200-399 within timeoutSeconds, tcpSocket on connect, exec on exit 0.</summary>
public static class Prober
{
    // The kubelet opens a new connection for every probe and follows no keep-alive.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public static async Task<ProbeResult> ProbeAsync(V1Probe probe, Pod pod, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            if (probe.HttpGet is { } httpGet)
            {
                var uri = new Uri(pod.AddressOf(httpGet.Port.Value), httpGet.Path ?? "/");
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.UserAgent.ParseAdd("kube-probe/1.35");
                request.Headers.ConnectionClose = true;
                foreach (var header in httpGet.HttpHeaders ?? [])
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value);
                }
                using var response = await Client.SendAsync(request, timeoutSource.Token);
                var code = (int)response.StatusCode;
                return new ProbeResult(code is >= 200 and < 400, code, $"HTTP {code}");
            }
            if (probe.TcpSocket is { } tcp)
            {
                var address = pod.AddressOf(tcp.Port.Value);
                using var socket = new TcpClient();
                await socket.ConnectAsync(address.Host, address.Port, timeoutSource.Token);
                return new ProbeResult(true, null, "connected");
            }
            if (probe.Exec is { } exec)
            {
                var result = await Podman.RunAsync(["exec", pod.Name, .. exec.Command], timeout, timeoutSource.Token);
                return new ProbeResult(result.ExitCode == 0, null, $"exit {result.ExitCode}");
            }
            throw new NotSupportedException("Only httpGet, tcpSocket and exec probes are emulated");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException or TimeoutException
            && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, null, ex.GetType().Name);
        }
    }
}
