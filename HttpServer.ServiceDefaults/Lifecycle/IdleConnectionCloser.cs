using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// After the drain, aborts every connection with no request in the application, sweep after sweep until the host has
/// stopped. Kestrel's own stop waits until the shutdown timeout for a connection holding a partly received request (half
/// its headers, then nothing); with this, the exit follows the last real answer. Kestrel's RequestHeadersTimeout does not
/// replace it: SlowClientShutdownTests fails without the closer, with Kestrel's default timeout (30 s) and a 5 s one alike.
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

    /// <summary>Connection middleware on every endpoint: per connection, not per request.</summary>
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
                _sweeping ??= SweepAsync(_stop.Token);
            }
        }
    }

    /// <summary>
    /// Ends the sweeps once the server has stopped and logs how many connections they aborted. A host can be stopped twice at
    /// once (<c>app.Run()</c> stops and disposes it while a test host is still in its own stop): every caller awaits the one
    /// stop, and only the first gets true (and logs).
    /// </summary>
    public async Task<bool> StopClosingAsync()
    {
        Task stopping;
        bool first;
        lock (_gate)
        {
            first = _stopping is null;
            stopping = _stopping ??= _disposed ? Task.CompletedTask : StopSweepingAsync();
        }
        await stopping;
        return first;
    }

    private async Task StopSweepingAsync()
    {
        await _stop.CancelAsync();
        await (_sweeping ?? Task.CompletedTask);
        LogClosed(logger, _closed);
    }

    // The token is taken while the source is alive: a stop that overlaps the host's disposal may still be sweeping after it.
    private async Task SweepAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            do
            {
                _closed += _connections.Values.Count(activity => activity.IsIdleSinceLastSweep() && activity.TryAbort());
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
            if (!_disposed)
            {
                _disposed = true;
                _stop.Cancel(); // before it is released, so that a sweep still running ends on the token it holds
                _stop.Dispose();
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Closed {Count} connections that had no request in the application after the drain")]
    private static partial void LogClosed(ILogger logger, int count);
}

/// <summary>
/// One per connection, in its features (its requests reach it through HttpContext.Features): counts the requests that
/// entered and left the application, so the closer tells a connection holding only a partly received request from one
/// whose request is being answered.
/// </summary>
internal sealed class ConnectionActivity(ConnectionContext connection)
{
    private int _started;
    private int _ended;
    private int _idleAtStarted = -1; // touched only by the closer's sweeps, one at a time
    private bool _aborted;

    public void RequestStarted() => Interlocked.Increment(ref _started);

    public void RequestEnded() => Interlocked.Increment(ref _ended);

    /// <summary>
    /// True when no request was in the application at this sweep nor at the previous one, and none started in between. Two
    /// sweeps apart, a request Kestrel has just parsed reaches the application, and one that has just left it gets its last
    /// buffered bytes written, before the connection is aborted under them.
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

    /// <summary>Aborts the connection once; false when an earlier sweep already did.</summary>
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
