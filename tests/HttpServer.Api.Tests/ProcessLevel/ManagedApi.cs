using System.Globalization;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>The real server with a management port: <see cref="Api"/>'s client talks to the public port, <see cref="Management"/> to the other.</summary>
internal sealed class ManagedApi(ApiProcess api, HttpClient management) : IAsyncDisposable
{
    public ApiProcess Api { get; } = api;

    public HttpClient Management { get; } = management;

    public static async Task<ManagedApi> StartAsync(Dictionary<string, string?>? environment = null)
    {
        var port = FreePort.Next();
        environment ??= [];
        environment["Management__Port"] = port.ToString(CultureInfo.InvariantCulture);
        var server = new ManagedApi(ApiProcess.Start(environment),
            new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) });
        await server.Api.WaitForReadyAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Management.Dispose();
        await Api.DisposeAsync();
    }
}
