using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class HeadRequestTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/version")]
    [InlineData("/headers")]
    [InlineData("/delay/0")]
    [InlineData("/status/200")]
    [InlineData("/status/418")]
    [InlineData("/chain")]
    public async Task Head_is_answered_wherever_get_is_with_the_same_status_and_headers(string path)
    {
        using var get = await _client.GetAsync(path);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.GetValues("VERSION"), head.Headers.GetValues("VERSION"));
    }
}
