using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.AppHost.Tests;

/// <summary>
/// One run of the real AppHost (DCP, the dashboard, frontend and backend as processes) shared by every
/// test of the collection: starting and stopping it takes most of the time of these tests.
/// </summary>
public sealed class DistributedAppFixture : IAsyncLifetime
{
    public const string Frontend = "frontend";
    public const string Backend = "backend";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    // A key for this run only: the dashboard's telemetry API answers 401 without it.
    private readonly string _dashboardApiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>A client for the dashboard's HTTP API (<c>/api/telemetry/...</c>), authenticated by API key.</summary>
    public HttpClient Dashboard { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.HttpServer_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, [], timeout.Token);
        builder.Configuration["AppHost:DashboardApiKey"] = _dashboardApiKey;

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await Task.WhenAll(
            _app.ResourceNotifications.WaitForResourceHealthyAsync(Backend, timeout.Token),
            _app.ResourceNotifications.WaitForResourceHealthyAsync(Frontend, timeout.Token));

        var dashboardUrl = await _app.GetDashboardUrlAsync(timeout.Token);
        Dashboard = new HttpClient { BaseAddress = new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };
        Dashboard.DefaultRequestHeaders.Add("x-api-key", App.Services.GetRequiredService<IConfiguration>()["AppHost:DashboardApiKey"]);
        Dashboard.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>A plain client (no retries) for a resource's endpoint (<c>http</c> unless named), so tests see each answer as it is.</summary>
    public HttpClient CreateClient(string resourceName, string endpointName = "http")
    {
        var client = App.CreateHttpClient(resourceName, endpointName);
        client.Timeout = TimeSpan.FromSeconds(20);
        return client;
    }

    public async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DistributedAppTestGroup : ICollectionFixture<DistributedAppFixture>
{
    public const string Name = "Distributed app";
}
