using HttpServer.ServiceDefaults.Lifecycle;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HttpServer.Api.Tests.Lifecycle;

/// <summary>
/// The closer's stop against the ways a host really calls it: twice at once (app.Run's stop and a test host's), after
/// the container disposed it, and with the disposal landing in the middle of a stop.
/// </summary>
public sealed class IdleConnectionCloserTests
{
    [Fact]
    public async Task Two_overlapping_stops_both_wait_for_the_sweeps_to_end_and_only_the_first_reports()
    {
        var logger = new CountingLogger();
        using var closer = new IdleConnectionCloser(logger);
        closer.StartClosing();

        var results = await Task.WhenAll(closer.StopClosingAsync(), closer.StopClosingAsync());

        Assert.Equal([true, false], results);
        Assert.Equal(1, logger.Lines);
    }

    [Fact]
    public async Task A_stop_that_the_disposal_overtakes_still_completes()
    {
        var closer = new IdleConnectionCloser(NullLogger<IdleConnectionCloser>.Instance);
        closer.StartClosing();

        var stopping = closer.StopClosingAsync();
        closer.Dispose();

        Assert.True(await stopping);
        Assert.False(await closer.StopClosingAsync());
    }

    [Fact]
    public async Task Starting_or_stopping_after_the_disposal_is_quiet()
    {
        var closer = new IdleConnectionCloser(NullLogger<IdleConnectionCloser>.Instance);
        closer.Dispose();
        closer.Dispose();

        closer.StartClosing();

        Assert.True(await closer.StopClosingAsync());
    }

    private sealed class CountingLogger : ILogger<IdleConnectionCloser>
    {
        private int _lines;

        public int Lines => _lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Interlocked.Increment(ref _lines);
    }
}
