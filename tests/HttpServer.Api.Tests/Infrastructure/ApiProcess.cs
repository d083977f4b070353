using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace HttpServer.Api.Tests.Infrastructure;

/// <summary>
/// The built Api as a real process on a loopback port, its stdout captured line by line.
/// HTTPSERVER_API_PATH may name another build of it (a .dll run with dotnet, or a native executable).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public IReadOnlyCollection<string> Lines => _lines;

    public static ApiProcess Start(IDictionary<string, string?>? environment = null)
    {
        var port = FreeLoopbackPort();
        var path = Environment.GetEnvironmentVariable("HTTPSERVER_API_PATH") ?? RepositoryPaths.ApiDll;
        var native = !path.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(native ? path : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!native)
        {
            start.ArgumentList.Add(path);
        }
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment.Remove("VERSION");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value; // null removes it
        }
        return new ApiProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
    }

    public Task WaitForReadyAsync(TimeSpan? timeout = null) => WaitForOkAsync("/readyz", timeout);

    public Task WaitForLiveAsync(TimeSpan? timeout = null) => WaitForOkAsync("/healthz", timeout);

    private async Task WaitForOkAsync(string path, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The Api exited early:\n{string.Join('\n', _lines)}");
            try
            {
                using var response = await Client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{path} did not answer 200 in time:\n{string.Join('\n', _lines)}");
    }

    /// <summary>Sends a POSIX signal, as the kubelet's runtime does (kill(1) is in every Debian image).</summary>
    public void Signal(string name) => Process.Start("kill", ["-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The JSON log lines whose category is the given one.</summary>
    public IEnumerable<JsonElement> LogEntries(string category) =>
        _lines.Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("Category", out var c) && c.GetString() == category);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
