using Microsoft.AspNetCore.Connections;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// One per connection, in its features (requests on it reach it through HttpContext.Features): counts the
/// requests that entered and left the application, so shutdown can tell a connection that only holds a partly
/// received request (a slow or stuck client) from one whose request is being answered.
/// </summary>
internal sealed class ConnectionActivity(ConnectionContext connection)
{
    private int _started;
    private int _ended;
    // Touched only by the closer's sweeps, one at a time.
    private int _idleAtStarted = -1;
    private bool _aborted;

    public ConnectionContext Connection => connection;

    public void RequestStarted() => Interlocked.Increment(ref _started);

    public void RequestEnded() => Interlocked.Increment(ref _ended);

    /// <summary>
    /// True when no request was in the application at this sweep nor at the previous one, and none started in
    /// between. Two sweeps apart, a request Kestrel has just parsed reaches the application, and one that has just
    /// left it gets its last buffered bytes written, before the connection is aborted under them.
    /// </summary>
    public bool IsIdleSinceLastSweep()
    {
        // Ended first: a request that starts and ends between the two reads leaves started ahead, never behind.
        var ended = Volatile.Read(ref _ended);
        var started = Volatile.Read(ref _started);
        if (started != ended)
        {
            _idleAtStarted = -1;
            return false;
        }
        var idleBefore = _idleAtStarted == started;
        _idleAtStarted = started;
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
