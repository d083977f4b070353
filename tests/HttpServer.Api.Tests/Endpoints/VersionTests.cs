using System.Text.Json;
using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class VersionTests
{
    [Fact]
    public async Task Version_setting_appears_as_header_and_in_version_endpoint()
    {
        await using var factory = new ApiFactory().With("VERSION", "1.2.3");
        var client = factory.CreateClient();

        using var root = await client.GetAsync("/");
        var body = await client.GetFromJsonAsync<JsonElement>("/version");

        Assert.Equal(["1.2.3"], root.Headers.GetValues("VERSION"));
        Assert.Equal("1.2.3", body.GetProperty("version").GetString());
        Assert.Equal("HttpServer.Api", body.GetProperty("service").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Unset_or_blank_version_is_reported_as_unknown_everywhere(string? version)
    {
        await using var factory = new ApiFactory().With("VERSION", version);
        var client = factory.CreateClient();

        using var root = await client.GetAsync("/");
        var body = await client.GetFromJsonAsync<JsonElement>("/version");

        Assert.Equal(["unknown"], root.Headers.GetValues("VERSION"));
        Assert.Equal("unknown", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Error_responses_carry_the_version_header_too()
    {
        await using var factory = new ApiFactory().With("VERSION", "2.0.0");
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["2.0.0"], response.Headers.GetValues("VERSION"));
    }

    [Fact]
    public async Task Headers_endpoint_returns_every_request_header_as_json()
    {
        await using var factory = new ApiFactory();
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.TryAddWithoutValidation("X-Multi", ["a", "b"]);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string[]>>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(body);
        var values = body.First(h => h.Key.Equals("X-Multi", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Equal(["a", "b"], values.SelectMany(v => v.Split(", ")));
        Assert.Contains(body.Keys, k => k.Equals("Host", StringComparison.OrdinalIgnoreCase));
    }
}
