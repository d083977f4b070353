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
    public void StartClosing() => _sweeping ??= SweepAsync();

    /// <summary>Ends the sweeps once the server has stopped and logs, once, how many connections they aborted.</summary>
    public async Task StopClosingAsync()
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
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // The host has stopped.
        }
    }

    public void Dispose() => _stop.Dispose();

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} connections that had no request in the application after the drain")]
    private static partial void LogClosed(ILogger logger, int count);
}
