using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>One Api process for the client-input tests, with small limits so that "too large" is cheap to send.</summary>
public sealed class ClientInputFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 1024;
    public const int MaxRequestLineBytes = 1024;

    public ApiProcess Api { get; private set; } = null!;

    public int Port => Api.BaseAddress.Port;

    public async Task InitializeAsync()
    {
        Api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["Kestrel__Limits__MaxRequestBodySize"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kestrel__Limits__MaxRequestLineSize"] = MaxRequestLineBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lifecycle__DrainDelaySeconds"] = "0",
        });
        await Api.WaitForReadyAsync();
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}
