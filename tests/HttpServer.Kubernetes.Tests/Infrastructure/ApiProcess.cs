using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The built Api as a real process on a loopback port, configured like a rendered pod: its environment,
/// and the mounted ConfigMap's files in a temporary APP_CONFIG_DIR.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _configDirectory;

    private ApiProcess(Process process, string configDirectory, int port)
    {
        _process = process;
        _configDirectory = configDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
    }

    public HttpClient Client { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ApiProcess Start(PodConfiguration pod)
    {
        if (!File.Exists(Repository.ApiAssembly))
        {
            throw new InvalidOperationException($"{Repository.ApiAssembly} is missing: build the solution first.");
        }
        var configDirectory = Directory.CreateTempSubdirectory("api-config-").FullName;
        foreach (var (key, value) in pod.MountedFiles)
        {
            File.WriteAllText(Path.Combine(configDirectory, key), value);
        }
        var port = FreeLoopbackPort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repository.ApiAssembly },
            WorkingDirectory = Path.GetDirectoryName(Repository.ApiAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Nothing of the test runner's own environment that the app reads may leak in.
        foreach (var key in startInfo.Environment.Keys.Where(IsAppSetting).ToList())
        {
            startInfo.Environment.Remove(key);
        }
        foreach (var (key, value) in pod.Environment)
        {
            startInfo.Environment[key] = value;
        }
        startInfo.Environment[PodConfiguration.ConfigDirectoryVariable] = configDirectory;
        // The container's port (HTTP_PORTS) is replaced by a free loopback port; URLS takes precedence.
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        var process = new Process { StartInfo = startInfo };
        var api = new ApiProcess(process, configDirectory, port);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>GET <paramref name="path"/>: its status code, or null when nothing answered in time.</summary>
    public async Task<HttpStatusCode?> StatusAsync(string path)
    {
        try
        {
            using var response = await Client.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, as the kubelet sends after the preStop hook.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Client.Dispose();
        Directory.Delete(_configDirectory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static bool IsAppSetting(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || key.Contains("__", StringComparison.Ordinal)
        || key is "VERSION" or "HTTP_PORTS" or PodConfiguration.ConfigDirectoryVariable;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
