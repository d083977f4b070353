using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// Debian's Prometheus (tests/setup/observability.sh) as a process on a free loopback port, with a temporary data folder,
/// the given configuration and rule file; queried through its HTTP API.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _lines = new();

    private PrometheusProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }

    public string Log => string.Join('\n', _lines);

    public static async Task<PrometheusProcess> StartAsync(string configuration, string rules)
    {
        var directory = Directory.CreateTempSubdirectory("prometheus-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), configuration);
        await File.WriteAllTextAsync(Path.Combine(directory, "rules.yaml"), rules);
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo(KubernetesTools.ObservabilityTool("/usr/bin/prometheus"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--config.file=prometheus.yml", "--storage.tsdb.path=data", $"--web.listen-address={address.Authority}" })
        {
            start.ArgumentList.Add(argument);
        }
        var prometheus = new PrometheusProcess(Process.Start(start)!, directory, address);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(prometheus._process.HasExited, $"Prometheus exited:\n{prometheus.Log}");
            try
            {
                using var ready = await prometheus.Client.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        Assert.Fail($"Prometheus was not ready in time:\n{prometheus.Log}");
        return prometheus;
    }

    /// <summary>An instant query: the series of its result (an error fails the test with Prometheus' message).</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string query)
    {
        using var response = await Client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{query}\n{body}");
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
