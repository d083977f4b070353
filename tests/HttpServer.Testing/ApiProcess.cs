using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit;

namespace HttpServer.Testing;

/// <summary>
/// The built Api as a real process on a free loopback port, its stdout and stderr captured line by line.
/// <see cref="ApiStartInfo"/> says which build runs and with what environment.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string? _configDirectory;

    private ApiProcess(Process process, Uri baseAddress, TimeSpan clientTimeout, string? configDirectory)
    {
        _process = process;
        _configDirectory = configDirectory;
        BaseAddress = baseAddress;
        // The server's own answers, redirects included: /status/3xx leads elsewhere.
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = clientTimeout };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The category of the access log's lines.</summary>
    public const string AccessLogCategory = "HttpServer.AccessLog";

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public IReadOnlyCollection<string> Lines => _lines;
    public string Log => string.Join('\n', _lines);

    /// <summary>
    /// Starts the Api in Production with <paramref name="environment"/> (a null value removes a variable) and, when
    /// <paramref name="configFiles"/> is given, those files in a temporary APP_CONFIG_DIR (key-per-file configuration).
    /// </summary>
    public static ApiProcess Start(IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyDictionary<string, string>? configFiles = null, TimeSpan? clientTimeout = null)
    {
        // Any port the environment names (a container's HTTP_PORTS) gives way to a free loopback one: URLS takes precedence.
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        return Start(environment, configFiles, clientTimeout, address, urls: address.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>
    /// Starts the Api listening where <paramref name="environment"/> alone says (HTTP_PORTS, as in a pod: every
    /// interface), with no ASPNETCORE_URLS of the test's; its client talks to <paramref name="baseAddress"/>.
    /// </summary>
    public static ApiProcess StartListeningAsConfigured(IReadOnlyDictionary<string, string?> environment, Uri baseAddress,
        IReadOnlyDictionary<string, string>? configFiles = null, TimeSpan? clientTimeout = null) =>
        Start(environment, configFiles, clientTimeout, baseAddress, urls: null);

    private static ApiProcess Start(IReadOnlyDictionary<string, string?>? environment, IReadOnlyDictionary<string, string>? configFiles,
        TimeSpan? clientTimeout, Uri baseAddress, string? urls)
    {
        var start = ApiStartInfo.Create(environment);
        string? configDirectory = null;
        if (configFiles is not null)
        {
            configDirectory = Directory.CreateTempSubdirectory("api-config-").FullName;
            foreach (var (key, value) in configFiles)
            {
                File.WriteAllText(Path.Combine(configDirectory, key), value);
            }
            start.Environment["APP_CONFIG_DIR"] = configDirectory;
        }
        if (urls is not null)
        {
            start.Environment["ASPNETCORE_URLS"] = urls;
        }
        return new ApiProcess(Process.Start(start)!, baseAddress, clientTimeout ?? TimeSpan.FromSeconds(30), configDirectory);
    }

    public Task WaitForReadyAsync(TimeSpan? timeout = null) => WaitForOkAsync("/readyz", timeout);

    public Task WaitForLiveAsync(TimeSpan? timeout = null) => WaitForOkAsync("/healthz", timeout);

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

    /// <summary>Sends a POSIX signal, as the kubelet's runtime does (kill(1) is in every Debian image).</summary>
    public void Signal(string name) => Process.Start("kill", ["-" + name, Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            // Exited: the overload without a timeout returns once the redirected output has been read to its end, so
            // Lines is complete.
            _process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls, within <paramref name="timeout"/> (10 s by default), for a JSON log line of <paramref name="category"/>
    /// that <paramref name="match"/> accepts: the access log is written in batches, other lines by the console logger's
    /// own thread. Fails the test with the log when none comes.
    /// </summary>
    public async Task<JsonElement> WaitForLogEntryAsync(string category, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (LogEntries(category).Where(match).Take(1).ToList() is [var entry])
            {
                return entry;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No {category} line as expected within {timeout ?? TimeSpan.FromSeconds(10)}:\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>The access-log line of the request to <paramref name="path"/>, once it is out (see <see cref="WaitForLogEntryAsync"/>).</summary>
    public Task<JsonElement> WaitForAccessLogAsync(string path, TimeSpan? timeout = null) =>
        WaitForLogEntryAsync(AccessLogCategory, e => e.GetProperty("State").GetProperty("Path").GetString() == path, timeout);

    /// <summary>
    /// Sends a marker request and waits for its own access-log line: then the lines of the requests answered before it
    /// are out too, or never will be (a line is logged before its request ends, and the batches keep their order), so a
    /// test can assert that a line is absent without sleeping. Needs the access log written (the default levels).
    /// </summary>
    public async Task WaitForAccessLogMarkerAsync()
    {
        var marker = $"/log-marker/{Guid.NewGuid():N}";
        using var _ = await Client.GetAsync(marker);
        await WaitForAccessLogAsync(marker);
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
        if (_configDirectory is not null)
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
    }

    private async Task WaitForOkAsync(string path, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The Api exited early:\n{Log}");
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
        Assert.Fail($"{path} did not answer 200 in time:\n{Log}");
    }
}
