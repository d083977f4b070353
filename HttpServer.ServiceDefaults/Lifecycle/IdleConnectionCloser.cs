using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// After the drain, aborts the connections with no request in the application, sweep after sweep until the host has stopped:
/// Kestrel's own stop waits out the shutdown timeout for a client that sent half its headers and then nothing. Kestrel's
/// RequestHeadersTimeout does not replace it: SlowClientShutdownTests fails without the closer, with a 30 s or a 5 s timeout.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "_stop has no timer to release; disposed, it would fail a late stop (see StopClosingAsync).")]
internal sealed partial class IdleConnectionCloser
{
    // A connection is aborted on its second idle sweep: 250-500 ms after the drain or after it was accepted.
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, ConnectionActivity> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Task<int>> _sweeping;
    private readonly ILogger<IdleConnectionCloser> _logger;
    private int _stops;

    public IdleConnectionCloser(ILogger<IdleConnectionCloser> logger) =>
        (_logger, _sweeping) = (logger, new(() => _stop.IsCancellationRequested ? Task.FromResult(0) : SweepAsync(_stop.Token)));

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

    // The sweeps go on while Kestrel stops: a connection accepted just before its listener closed is caught too.
    public void StartClosing() => _ = _sweeping.Value;

    /// <summary>
    /// Ends the sweeps once the server has stopped. A host can be stopped twice at once (<c>app.Run()</c> and a test host):
    /// every caller awaits the one stop, and only the first gets true (and logs).
    /// </summary>
    public async Task<bool> StopClosingAsync()
    {
        var first = Interlocked.Increment(ref _stops) == 1;
        await _stop.CancelAsync();
        var closed = await _sweeping.Value;
        if (first)
        {
            LogClosed(_logger, closed);
        }
        return first;
    }

    private async Task<int> SweepAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        var closed = 0;
        try
        {
            do
            {
                closed += _connections.Values.Count(activity => activity.IsIdleSinceLastSweep() && activity.TryAbort());
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
            // The host has stopped.
        }
        return closed;
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} connections that had no request in the application after the drain")]
    private static partial void LogClosed(ILogger logger, int count);
}

/// <summary>In a connection's features: counts the requests that entered and left the application.</summary>
internal sealed class ConnectionActivity(ConnectionContext connection)
{
    private int _started;
    private int _ended;
    private int _idleAtStarted = -1; // touched only by the closer's sweeps, one at a time
    private bool _aborted;

    public void RequestStarted() => Interlocked.Increment(ref _started);

    public void RequestEnded() => Interlocked.Increment(ref _ended);

    /// <summary>
    /// No request in the application at this sweep nor the previous one, and none started in between: two sweeps give a parsed
    /// request time to reach the application, and an answered one time to write its last bytes.
    /// </summary>
    public bool IsIdleSinceLastSweep()
    {
        // Ended first: a request that starts and ends between the two reads leaves started ahead, never behind.
        var ended = Volatile.Read(ref _ended);
        var started = Volatile.Read(ref _started);
        var idleBefore = started == ended && _idleAtStarted == started;
        _idleAtStarted = started == ended ? started : -1;
        return idleBefore;
    }

    public bool TryAbort()
    {
        if (_aborted)
        {
            return false;
        }
        _aborted = true;
        connection.Abort(new ConnectionAbortedException("Idle at shutdown, after the drain."));
        return true;
    }
}
