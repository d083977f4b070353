using System.Text.Json;
using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class DiagnosticsEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient(followRedirects: false);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.05", 0.05)]
    public async Task Delay_waits_and_answers_200_with_the_delay(string seconds, double expected)
    {
        var body = await _client.GetFromJsonAsync<JsonElement>($"/delay/{seconds}");

        Assert.Equal(expected, body.GetProperty("delaySeconds").GetDouble());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("10.5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e9")]
    public async Task Delay_with_a_malformed_or_out_of_range_value_is_a_400_problem(string seconds)
    {
        using var response = await _client.GetAsync($"/delay/{seconds}");

        var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("0 to 10", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(299)]
    public async Task Status_with_a_success_code_answers_it_with_json(int code)
    {
        using var response = await _client.GetAsync($"/status/{code}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(code, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(204)]
    [InlineData(302)]
    [InlineData(304)]
    public async Task Status_with_a_bodiless_code_answers_it_without_a_body(int code)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(418)]
    [InlineData(503)]
    [InlineData(599)]
    public async Task Status_with_an_error_code_answers_it_as_problem_details(int code)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        await ProblemAssertions.AssertProblemAsync(response, (HttpStatusCode)code);
    }

    [Theory]
    [InlineData(301, "Location", "/")]
    [InlineData(308, "Location", "/")]
    [InlineData(401, "WWW-Authenticate", "Bearer realm=\"httpserver\"")]
    [InlineData(405, "Allow", "GET, HEAD")]
    [InlineData(407, "Proxy-Authenticate", "Bearer realm=\"httpserver\"")]
    [InlineData(416, "Content-Range", "bytes */0")]
    public async Task Status_with_a_code_that_needs_a_header_answers_with_it(int code, string name, string value)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        Assert.Equal(code, (int)response.StatusCode);
        var values = response.Headers.TryGetValues(name, out var found) ? found : response.Content.Headers.GetValues(name);
        Assert.Equal(value, string.Join(", ", values));
    }

    [Fact]
    public async Task Status_with_a_code_that_needs_no_header_adds_none()
    {
        using var response = await _client.GetAsync("/status/400");

        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("199")]
    [InlineData("600")]
    [InlineData("-200")]
    [InlineData("2OO")]
    [InlineData("99999999999")]
    public async Task Status_with_a_malformed_or_out_of_range_code_is_a_400_problem(string code)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        var problem = await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("200 to 599", problem.GetProperty("detail").GetString());
    }
}
