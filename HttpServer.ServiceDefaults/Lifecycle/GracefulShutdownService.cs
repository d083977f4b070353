using System.Runtime.InteropServices;
using HttpServer.ServiceDefaults.Health;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// Graceful termination, in podinfo's order: readiness off at once, keep serving for the drain delay,
/// then close the connections with no request in the application and let the host stop Kestrel (no new
/// connections, in-flight requests finish within the timeout).
/// Its StoppingAsync runs before any hosted service's StopAsync, so the web server still serves meanwhile.
/// </summary>
internal sealed partial class GracefulShutdownService(
    ReadinessState readiness,
    IHostApplicationLifetime lifetime,
    IdleConnectionCloser idleConnections,
    IOptions<LifecycleOptions> options,
    ILogger<GracefulShutdownService> logger) : IHostedLifecycleService, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _signalCount;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // The host's console lifetime turns the first SIGTERM/SIGINT into a graceful stop; a second one means "now".
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
        lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkShuttingDown();
            LogStopping(logger, options.Value.DrainDelaySeconds);
        });
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.Value.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out during the drain: go on stopping.
        }
        LogDrained(logger, options.Value.ShutdownTimeoutSeconds);
        idleConnections.StartClosing();
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (await idleConnections.StopClosingAsync())
        {
            LogStopped(logger);
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signalCount) > 1)
        {
            LogForced(logger, context.Signal);
            Environment.Exit(128 + 15);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Shutdown requested: readiness is off; serving for {DrainDelaySeconds}s while endpoints drain")]
    private static partial void LogStopping(ILogger logger, double drainDelaySeconds);

    [LoggerMessage(2, LogLevel.Information, "Drain finished: no longer accepting, idle connections are closed; in-flight requests have {ShutdownTimeoutSeconds}s to finish")]
    private static partial void LogDrained(ILogger logger, double shutdownTimeoutSeconds);

    [LoggerMessage(3, LogLevel.Information, "Shutdown complete")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "Second {Signal} during shutdown: exiting now")]
    private static partial void LogForced(ILogger logger, PosixSignal signal);
}
