using System.Runtime.InteropServices;
using HttpServer.ServiceDefaults.Health;
using Microsoft.Extensions.Logging.Console;

namespace HttpServer.ServiceDefaults.Lifecycle;

/// <summary>
/// Graceful termination, in podinfo's order: readiness off, serve on for the drain delay (StoppingAsync runs before Kestrel
/// stops), then close idle connections and let in-flight requests finish within the timeout.
/// </summary>
internal sealed partial class GracefulShutdownService(ReadinessState readiness, IHostApplicationLifetime lifetime, IdleConnectionCloser idleConnections,
    IOptions<LifecycleOptions> options, ILogger<GracefulShutdownService> logger, IEnumerable<ILoggerProvider> logProviders) : IHostedLifecycleService, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _signalCount;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // The host's console lifetime turns the first SIGTERM/SIGINT into a graceful stop; a second one means "now".
        _signals.AddRange([PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)]);
        lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkShuttingDown();
            LogStopping(logger, options.Value.DrainDelaySeconds);
        });
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown timeout may run out during the drain: stopping goes on.
        await Task.Delay(TimeSpan.FromSeconds(options.Value.DrainDelaySeconds), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            // The console logger writes from a queue that Environment.Exit does not wait for; disposing it flushes the queue.
            // Only the console's: an exporter's flush may wait seconds on an unreachable collector, and this exit is "now".
            foreach (var console in logProviders.OfType<ConsoleLoggerProvider>())
            {
                console.Dispose();
            }
            Environment.Exit(128 + 15);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _signals.ForEach(signal => signal.Dispose());

    [LoggerMessage(1, LogLevel.Information, "Shutdown requested: readiness is off; serving for {DrainDelaySeconds}s while endpoints drain")]
    private static partial void LogStopping(ILogger logger, double drainDelaySeconds);

    [LoggerMessage(2, LogLevel.Information, "Drain finished: no longer accepting, idle connections are closed; in-flight requests have {ShutdownTimeoutSeconds}s to finish")]
    private static partial void LogDrained(ILogger logger, double shutdownTimeoutSeconds);

    [LoggerMessage(3, LogLevel.Information, "Shutdown complete")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(4, LogLevel.Warning, "Second {Signal} during shutdown: exiting now")]
    private static partial void LogForced(ILogger logger, PosixSignal signal);
}
