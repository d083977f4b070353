using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace HttpServer.Testing;

/// <summary>
/// Debian's nginx (tests/setup/nginx.sh) as a reverse proxy on a free loopback port in front of one backend, the
/// way an ingress controller forwards: it appends the peer's address to X-Forwarded-For and sets X-Forwarded-Proto.
/// A child process (daemon off) with its own configuration, pid and temp files in a temp folder.
/// </summary>
[SupportedOSPlatform("linux")] // Debian's nginx, unix modes
public sealed class NginxReverseProxy : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly string _directory;
    private readonly Process _process;

    private NginxReverseProxy(string directory, int port, Process process)
    {
        _directory = directory;
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static async Task<NginxReverseProxy> StartAsync(Uri backend)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run tests/setup/nginx.sh.");
        }
        var directory = Directory.CreateTempSubdirectory("nginx-proxy-").FullName;
        // Run as root, nginx's workers are nobody: they must reach tmp/ to buffer bodies.
        File.SetUnixFileMode(directory, (UnixFileMode)0x1ED); // 0755
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        File.SetUnixFileMode(Path.Combine(directory, "tmp"), (UnixFileMode)0x1FF); // 0777
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), Configuration(port, backend));
        var process = Process.Start(new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-p", directory, "-c", "nginx.conf", "-e", "error.log", "-g", "daemon off;" },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nginx did not start");
        var proxy = new NginxReverseProxy(directory, port, process);
        for (var attempt = 0; attempt < 100 && !process.HasExited; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        var errors = proxy.ErrorLog;
        await proxy.DisposeAsync();
        throw new InvalidOperationException($"nginx did not listen on 127.0.0.1:{port}: {errors}");
    }

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    private static string Configuration(int port, Uri backend) => $$"""
        worker_processes 1;
        pid nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path tmp/body;
            proxy_temp_path tmp/proxy;
            fastcgi_temp_path tmp/fastcgi;
            uwsgi_temp_path tmp/uwsgi;
            scgi_temp_path tmp/scgi;
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://{{backend.Host}}:{{backend.Port}};
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
            }
        }
        """;

    /// <summary>SIGQUIT (graceful: workers finish their requests), then SIGKILL to the tree if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var quit = Process.Start("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await quit.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
