using System.Diagnostics;
using System.Net.Sockets;
using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Load;

/// <summary>
/// Debian's nginx on loopback as the Service's load balancer: keep-alive to the pods like an ingress controller,
/// but like kube-proxy no passive health check (max_fails=0) and no retry on another pod (proxy_next_upstream
/// off), so a pod that drops or refuses a request while it is still an endpoint is seen, not hidden.
/// Endpoint changes rewrite the upstream and reload nginx, which lets old workers finish their requests.
/// </summary>
public sealed class NginxLoadBalancer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private NginxLoadBalancer(string directory, int port, Process process)
    {
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}/");
        _process = process;
    }

    public Uri Address { get; }

    public static async Task<NginxLoadBalancer> StartAsync(IEnumerable<Uri> backends)
    {
        var directory = Path.Combine(ConformancePaths.WorkDirectory, "nginx", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        // Workers run as nobody and buffer to tmp/.
        File.SetUnixFileMode(Path.Combine(directory, "tmp"), (UnixFileMode)0x1FF);
        var port = FreePort.Next();
        WriteConfiguration(directory, port, backends);
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/nginx")
        {
            ArgumentList = { "-p", directory, "-c", "nginx.conf", "-e", "error.log", "-g", "daemon off;" },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nginx did not start");
        var balancer = new NginxLoadBalancer(directory, port, process);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return balancer;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }
        await balancer.DisposeAsync();
        throw new InvalidOperationException($"nginx did not listen: {File.ReadAllText(Path.Combine(directory, "error.log"))}");
    }

    /// <summary>Points the upstream at these pods and reloads: new connections go only to them from then on.</summary>
    public async Task SetBackendsAsync(IEnumerable<Uri> backends)
    {
        WriteConfiguration(_directory, Address.Port, backends);
        (await ProcessRunner.RunAsync("/usr/sbin/nginx", ["-p", _directory, "-c", "nginx.conf", "-e", "error.log", "-s", "reload"],
            TimeSpan.FromSeconds(30))).EnsureSuccess("nginx -s reload");
    }

    private static void WriteConfiguration(string directory, int port, IEnumerable<Uri> backends)
    {
        var servers = string.Join("\n", backends.Select(b => $"        server {b.Host}:{b.Port} max_fails=0;"));
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes 1;
            pid nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path tmp/body;
                proxy_temp_path tmp/proxy;
                fastcgi_temp_path tmp/fastcgi;
                uwsgi_temp_path tmp/uwsgi;
                scgi_temp_path tmp/scgi;
                upstream pods {
            {{servers}}
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://pods;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_next_upstream off;
                    }
                }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("/usr/sbin/nginx", ["-p", _directory, "-c", "nginx.conf", "-e", "error.log", "-s", "quit"],
                TimeSpan.FromSeconds(30));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
