using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// After the drain, aborts every connection with no request in the application, again and again until the host
/// has stopped. Kestrel's own stop waits for a connection holding a partly received request (a client that sent
/// half its headers and then nothing) until the shutdown timeout; with this, the exit follows the last request
/// really being answered. Connections are tracked by a connection middleware on every endpoint (<see cref="Track"/>).
/// </summary>
internal sealed partial class IdleConnectionCloser(ILogger<IdleConnectionCloser> logger) : IDisposable
{
    /// <summary>A connection is aborted on its second idle sweep: 250-500 ms after the drain or after it was accepted.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, ConnectionActivity> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _sweeping;
    private int _closed;
    private int _stopped;

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
        if (Volatile.Read(ref _stopped) == 0)
        {
            _sweeping ??= SweepAsync();
        }
    }

    /// <summary>
    /// Ends the sweeps once the server has stopped and logs how many connections they aborted; false when it had
    /// already ended. A host can be stopped twice at once (<c>app.Run()</c> stops and disposes it while the one who
    /// asked for the stop, such as a test host, is still in its own stop), so the second call must not touch what the
    /// first one's disposal released.
    /// </summary>
    public async Task<bool> StopClosingAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return false;
        }
        await _stop.CancelAsync();
        if (_sweeping is not null)
        {
            await _sweeping;
        }
        LogClosed(logger, _closed);
        return true;
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
        // Cancelled before it is released, so that a sweep still running ends on the token it holds.
        _stop.Cancel();
        _stop.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} connections that had no request in the application after the drain")]
    private static partial void LogClosed(ILogger logger, int count);
}
