using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Aspire.Hosting;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The Aspire dashboard the AppHost runs (NuGet Aspire.Dashboard.Sdk.linux-x64, the same version as the image) as a
/// process on free loopback ports, with a given environment and a telemetry API key of its own.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private DashboardProcess(Process process, Uri ui, Uri otlp, string apiKey)
    {
        _process = process;
        Otlp = otlp;
        Api = new HttpClient { BaseAddress = ui, Timeout = TimeSpan.FromSeconds(10) };
        Api.DefaultRequestHeaders.Add("x-api-key", apiKey);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The OTLP/gRPC endpoint to give the apps instead of the in-cluster Service.</summary>
    public Uri Otlp { get; }

    /// <summary>A client for the telemetry HTTP API (<c>/api/telemetry/...</c>), with the API key.</summary>
    public HttpClient Api { get; }

    public string Log => string.Join('\n', _lines);

    /// <summary>The dashboard the AppHost's build resolved (its path is in the AppHost assembly's metadata).</summary>
    public static string Executable { get; } = typeof(KubernetesManifestsStep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "aspiredashboardpath").Value ?? throw new InvalidOperationException("The AppHost names no dashboard.");

    /// <summary>
    /// Starts it with <paramref name="environment"/>, the listening addresses replaced by free loopback ones, and (unless
    /// <paramref name="apiKey"/> is false) a telemetry API key of the test's own.
    /// </summary>
    public static async Task<DashboardProcess> StartAsync(IReadOnlyDictionary<string, string> environment, bool apiKey = true)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("ASPIRE_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var ui = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlp = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        start.Environment["ASPNETCORE_URLS"] = ui.ToString();
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlp.ToString();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        if (apiKey)
        {
            start.Environment["Dashboard__Api__AuthMode"] = "ApiKey";
            start.Environment["Dashboard__Api__PrimaryApiKey"] = secret;
        }
        var dashboard = new DashboardProcess(Process.Start(start)!, ui, otlp, secret);
        await dashboard.WaitForListeningAsync();
        return dashboard;
    }

    private async Task WaitForListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The dashboard exited:\n{Log}");
            if (_lines.Any(l => l.Contains("OTLP/gRPC listening on", StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The dashboard did not listen in time:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
