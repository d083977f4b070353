using System.Net.Sockets;

namespace HttpServer.Conformance.Tests.Load;

public enum Outcome { Succeeded, Refused, Failed }

public sealed record RequestRecord(
    string Path, DateTime SentAt, DateTime CompletedAt, Outcome Outcome, int? StatusCode, string? Version, string? Error);

/// <summary>Workers, each sending one request after another to one path, pausing between them.</summary>
public sealed record LoadProfile(IReadOnlyList<(string Path, int Workers)> Paths, TimeSpan Pause, TimeSpan MaxDuration)
{
    /// <summary>Reuse connections (true), or open one per request (false).</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>Mostly quick echo requests, plus slow ones so that some are always in flight (~150 requests/s).</summary>
    public static LoadProfile Steady { get; } = new([("/", 4), ("/delay/2", 2)], TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(120));

    public static LoadProfile ReadinessWatch { get; } = new([("/readyz", 1)], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(120));
}

/// <summary>
/// Continuous, bounded load on loopback: keep-alive connections as a real client keeps them, every request
/// recorded with when it was sent and how it ended. It stops by itself after the profile's MaxDuration.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop;
    private readonly List<RequestRecord> _records = [];
    private readonly List<Task> _workers = [];
    private const int StaggerMilliseconds = 300;

    public LoadGenerator(Uri target, LoadProfile profile)
    {
        // A connect that a busy 2-core machine is slow to accept is not a lost request: 5 s before it counts as one.
        _client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.ConnectionClose = !profile.KeepAlive;
        _stop = new CancellationTokenSource(profile.MaxDuration);
        foreach (var (path, workers) in profile.Paths)
        {
            for (var i = 0; i < workers; i++)
            {
                // Staggered: workers of a slow path started together would stay in step, all between two requests at
                // the same moments, and a signal there would find none of them in flight.
                var start = TimeSpan.FromMilliseconds(StaggerMilliseconds * i);
                _workers.Add(Task.Run(() => WorkAsync(path, profile.Pause, start)));
            }
        }
    }

    public IReadOnlyList<RequestRecord> Records
    {
        get { lock (_records) { return [.. _records]; } }
    }

    private async Task WorkAsync(string path, TimeSpan pause, TimeSpan start)
    {
        try
        {
            await Task.Delay(start, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!_stop.IsCancellationRequested)
        {
            var record = await SendAsync(path);
            lock (_records)
            {
                _records.Add(record);
            }
            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<RequestRecord> SendAsync(string path)
    {
        var sentAt = DateTime.UtcNow;
        try
        {
            using var response = await _client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            var code = (int)response.StatusCode;
            var version = response.Headers.TryGetValues("VERSION", out var values) ? values.FirstOrDefault() : null;
            return new RequestRecord(path, sentAt, DateTime.UtcNow, code is >= 200 and < 300 ? Outcome.Succeeded : Outcome.Failed,
                code, version, null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return new RequestRecord(path, sentAt, DateTime.UtcNow, Outcome.Refused, null, null, "connection refused");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new RequestRecord(path, sentAt, DateTime.UtcNow, Outcome.Failed, null, null,
                $"{ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}");
        }
    }

    /// <summary>Stops sending, lets the requests under way finish, and returns every record.</summary>
    public async Task<IReadOnlyList<RequestRecord>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        return Records;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }
}
