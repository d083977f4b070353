using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// After the drain, aborts every connection with no request in the application, again and again until the host
/// has stopped. Kestrel's own stop waits for a connection holding a partly received request (a client that sent
/// half its headers and then nothing) until the shutdown timeout; with this, the exit follows the last request
/// really being answered. Connections are tracked by a connection middleware on every endpoint (<see cref="Track"/>).
/// Kestrel's RequestHeadersTimeout does not replace it: SlowClientShutdownTests fails without the closer, with
/// Kestrel's default timeout (30 s) and with a 5 s one alike (the process still runs 10 s after SIGTERM).
/// </summary>
internal sealed partial class IdleConnectionCloser(ILogger<IdleConnectionCloser> logger) : IDisposable
{
    /// <summary>A connection is aborted on its second idle sweep: 250-500 ms after the drain or after it was accepted.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, ConnectionActivity> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _sweeping;
    private Task? _stopping;
    private bool _disposed;
    private int _closed;

    /// <summary>Connection middleware: per connection, not per request.</summary>
    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        var activity = new ConnectionActivity(connection);
        connection.Features.Set(activity);
        _connections[connection.ConnectionId] = activity;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
        }
    };

    /// <summary>Starts the sweeps; they go on while Kestrel stops, so a connection accepted just before its listener closed is caught too.</summary>
    public void StartClosing()
    {
        lock (_gate)
        {
            if (_stopping is null && !_disposed)
            {
                _sweeping ??= SweepAsync();
            }
        }
    }

    /// <summary>
    /// Ends the sweeps once the server has stopped and logs how many connections they aborted. A host can be stopped
    /// twice at once (<c>app.Run()</c> stops and then disposes it while whoever asked for the stop, such as a test
    /// host, is still in its own stop): every caller awaits the one stop, and only the first gets true (and logs).
    /// </summary>
    public async Task<bool> StopClosingAsync()
    {
        Task stopping;
        bool first;
        lock (_gate)
        {
            first = _stopping is null;
            _stopping ??= _disposed ? Task.CompletedTask : StopSweepingAsync();
            stopping = _stopping;
        }
        await stopping;
        return first;
    }

    private async Task StopSweepingAsync()
    {
        await _stop.CancelAsync();
        if (_sweeping is not null)
        {
            await _sweeping;
        }
        LogClosed(logger, _closed);
    }

    private async Task SweepAsync()
    {
        // Taken now, while the source is alive: a stop that overlaps the host's disposal may still be sweeping after it.
        var stopping = _stop.Token;
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            do
            {
                foreach (var (_, activity) in _connections)
                {
                    if (activity.IsIdleSinceLastSweep() && activity.TryAbort())
                    {
                        _closed++;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
            // The host has stopped.
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            // Cancelled before it is released, so that a sweep still running ends on the token it holds.
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} connections that had no request in the application after the drain")]
    private static partial void LogClosed(ILogger logger, int count);
}
