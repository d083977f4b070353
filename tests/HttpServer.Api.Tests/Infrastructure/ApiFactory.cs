using HttpServer.ServiceDefaults.Configuration;
using HttpServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HttpServer.Api.Tests.Infrastructure;

/// <summary>
/// The Api under test, with extra settings per test class. By default it runs in memory
/// (WebApplicationFactory) as in production, not Development. When HTTPSERVER_API_PATH names another
/// build (e.g. the NativeAOT binary), the same tests run against that build as a real process on
/// loopback; tests that need the in-memory host's internals carry [Trait("Host", "InMemory")] and are filtered out.
/// </summary>
public sealed class ApiFactory : IDisposable, IAsyncDisposable
{
    public static readonly string? BinaryPath = Environment.GetEnvironmentVariable("HTTPSERVER_API_PATH");

    // No drain when a test's host stops: it would add seconds to every test class.
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal) { ["Lifecycle:DrainDelaySeconds"] = "0" };
    private readonly Lock _startLock = new();
    private InMemoryApi? _inMemory;
    private ApiProcess? _process;

    public ApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>The in-memory host, for tests with [Trait("Host", "InMemory")].</summary>
    public WebApplicationFactory<Program> InMemory
    {
        get
        {
            Assert.True(BinaryPath is null, "This test needs the in-memory host: give it the trait Host=InMemory.");
            lock (_startLock)
            {
                return _inMemory ??= new InMemoryApi(_settings);
            }
        }
    }

    public HttpClient CreateClient(bool followRedirects = true)
    {
        if (BinaryPath is null)
        {
            return InMemory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects });
        }
        lock (_startLock)
        {
            if (_process is null)
            {
                _process = ApiProcess.Start(SettingsAsEnvironment());
                // Listening is enough, as with the in-memory host: readiness is what some tests look at.
                _process.WaitForLiveAsync().GetAwaiter().GetResult();
            }
        }
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects };
        return new HttpClient(handler) { BaseAddress = _process.BaseAddress };
    }

    /// <summary>
    /// Starts the Api expecting it to refuse to start with invalid settings; returns its one-line reason: the message of
    /// the <see cref="InvalidSettingsException"/> the host threw, or the one line the process wrote before exiting 1.
    /// </summary>
    public async Task<string> StartupFailureAsync()
    {
        if (BinaryPath is null)
        {
            return Assert.Throws<InvalidSettingsException>(() => InMemory.CreateClient()).Message;
        }
        await using var process = ApiProcess.Start(SettingsAsEnvironment());
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "The Api kept running with invalid settings.");
        Assert.Equal(1, process.ExitCode);
        return Assert.Single(process.Lines);
    }

    /// <summary>The settings as a process gets them: environment variables, with "__" for ":".</summary>
    private Dictionary<string, string?> SettingsAsEnvironment() =>
        _settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    public void Dispose()
    {
        _inMemory?.Dispose();
        _process?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_inMemory is not null)
        {
            await _inMemory.DisposeAsync();
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private sealed class InMemoryApi(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
