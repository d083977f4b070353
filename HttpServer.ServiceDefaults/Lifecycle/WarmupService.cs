using HttpServer.ServiceDefaults.Health;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>Graceful start: once listening, request the configured paths from itself to prime their code, then turn ready.</summary>
internal sealed partial class WarmupService(ReadinessState readiness, IServer server, IHostApplicationLifetime lifetime,
    IOptions<LifecycleOptions> options, ILogger<WarmupService> logger) : BackgroundService
{
    /// <summary>
    /// The warm-up's own User-Agent, random per process: its requests log at the probe level, and a client can't forge it. A GUID
    /// (the runtime's own secure random source) rather than RandomNumberGenerator, whose OpenSSL start costs idle memory (bench/).
    /// </summary>
    public static readonly string UserAgent = "HttpServer-Warmup/" + Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        var stopwatch = Stopwatch.StartNew();
        var primed = 0;
        // The server's own address over loopback; none under a test host, which has no sockets.
        if (server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(LoopbackUri).FirstOrDefault(u => u?.Scheme == Uri.UriSchemeHttp) is { } address)
        {
            // A plain client: warm-up must not retry through resilience handlers or go through discovery.
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            foreach (var path in options.Value.WarmupPaths)
            {
                try
                {
                    using var response = await client.GetAsync(path, stoppingToken);
                    primed++;
                }
                catch (HttpRequestException ex)
                {
                    LogWarmupRequestFailed(logger, path, ex.Message);
                }
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(options.Value.WarmupExtraDelaySeconds), stoppingToken);
        readiness.MarkWarmedUp();
        LogReady(logger, stopwatch.Elapsed.TotalMilliseconds, primed);
    }

    private static Uri? LoopbackUri(string address) => Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
        .Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
        .Replace("://[::]", "://[::1]", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    [LoggerMessage(1, LogLevel.Information, "Warm-up finished in {ElapsedMs:0}ms ({Primed} paths primed): ready")]
    private static partial void LogReady(ILogger logger, double elapsedMs, int primed);

    [LoggerMessage(2, LogLevel.Warning, "Warm-up request to {Path} failed: {Reason}")]
    private static partial void LogWarmupRequestFailed(ILogger logger, string path, string reason);
}
