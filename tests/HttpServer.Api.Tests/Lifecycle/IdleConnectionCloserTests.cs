using HttpServer.ServiceDefaults.Lifecycle;
using Microsoft.Extensions.Logging;

namespace HttpServer.Api.Tests.Lifecycle;

/// <summary>
/// The closer's stop against the ways a host really calls it: twice at once (app.Run's stop and a test host's), and
/// without the drain having started the sweeps (a stop cancelled early).
/// </summary>
public sealed class IdleConnectionCloserTests
{
    [Fact]
    public async Task Two_overlapping_stops_both_wait_for_the_sweeps_to_end_and_only_the_first_reports()
    {
        var logger = new CountingLogger();
        var closer = new IdleConnectionCloser(logger);
        closer.StartClosing();

        var results = await Task.WhenAll(closer.StopClosingAsync(), closer.StopClosingAsync());

        Assert.Equal([true, false], results);
        Assert.Equal(1, logger.Lines);
    }

    [Fact]
    public async Task A_stop_without_sweeps_completes_and_a_start_after_it_sweeps_nothing()
    {
        var logger = new CountingLogger();
        var closer = new IdleConnectionCloser(logger);

        Assert.True(await closer.StopClosingAsync());
        closer.StartClosing();

        Assert.False(await closer.StopClosingAsync());
        Assert.Equal(1, logger.Lines);
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
