using System.Globalization;
using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>The real server with Management__Port set: what each port answers, and that the client can't pick the port.</summary>
[Collection(RealProcesses.Name)]
public sealed class ManagementPortTests
{
    [Fact]
    public async Task Metrics_answer_404_on_the_public_port_and_200_on_the_management_port()
    {
        await using var server = await ManagedApi.StartAsync();
        var (api, management) = (server.Api, server.Management);

        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync("/metrics"));
        using var scrape = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("http_server_request_duration", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_answer_on_both_ports_and_the_app_stays_on_the_public_one()
    {
        await using var server = await ManagedApi.StartAsync();
        var (api, management) = (server.Api, server.Management);

        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/healthz"));
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/readyz"));
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/version"));
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/settings")]
    [InlineData("POST", "/readyz/disable")]
    [InlineData("POST", "/readyz/enable")]
    [InlineData("GET", "/readyz/disable")] // a wrong method too: a 405 would tell that the path exists
    [InlineData("GET", "/metrics")]
    public async Task Operator_endpoints_are_refused_on_the_public_port_even_with_the_management_port_in_the_Host_header(string method, string path)
    {
        await using var server = await ManagedApi.StartAsync();
        var (api, management) = (server.Api, server.Management);
        var managementPort = management.BaseAddress!.Port.ToString(CultureInfo.InvariantCulture);

        using var plain = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var forged = new HttpRequestMessage(new HttpMethod(method), path);
        forged.Headers.Host = "127.0.0.1:" + managementPort;
        using var attack = await api.Client.SendAsync(forged);

        using var unknown = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/no-such-path"));

        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, attack.StatusCode);
        // Nothing tells a scanner the path exists: the answer is an unknown path's.
        Assert.Equal(unknown.StatusCode, plain.StatusCode);
        Assert.Equal(await WithoutTraceIdAsync(unknown), await WithoutTraceIdAsync(plain));
        Assert.Equal(unknown.Content.Headers.ContentType, plain.Content.Headers.ContentType);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/readyz")).StatusCode); // the POSTs changed nothing
    }

    [Fact]
    public async Task Other_methods_on_the_operator_endpoints_get_405_on_the_management_port()
    {
        await using var server = await ManagedApi.StartAsync();
        var management = server.Management;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await management.GetAsync("/readyz/disable")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await management.PostAsync("/settings", null)).StatusCode);
    }

    [Fact]
    public async Task Settings_redact_a_secret_looking_key_set_in_the_environment_and_say_where_each_value_came_from()
    {
        await using var server = await ManagedApi.StartAsync(new()
        {
            ["ConnectionStrings__Audit"] = "Host=db;Password=hunter2",
            ["VERSION"] = "v7",
            ["Downstream__BaseUrl"] = "http://svc:hunter3@backend:8080",
        });
        var management = server.Management;

        var text = await management.GetStringAsync("/settings");
        using var report = JsonDocument.Parse(text);

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter3", text, StringComparison.Ordinal);
        Assert.Equal("v7", report.RootElement.GetProperty("version").GetString());
        Assert.True(report.RootElement.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        var settings = report.RootElement.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.Equal("(redacted)", settings["ConnectionStrings:Audit"].GetProperty("value").GetString());
        Assert.Equal("environment", settings["ConnectionStrings:Audit"].GetProperty("source").GetString());
        Assert.Equal("http://(redacted)@backend:8080", settings["Downstream:BaseUrl"].GetProperty("value").GetString());
        Assert.Equal("environment", settings["Management:Port"].GetProperty("source").GetString());
        Assert.Equal("default", settings["Lifecycle:ShutdownTimeoutSeconds"].GetProperty("source").GetString());
        Assert.Equal("20", settings["Lifecycle:ShutdownTimeoutSeconds"].GetProperty("value").GetString());
        Assert.Equal("appsettings.json", settings["Logging:LogLevel:Default"].GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_loop_on_the_operator_endpoints_is_rate_limited()
    {
        await using var server = await ManagedApi.StartAsync();
        var management = server.Management;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++) // 20 per 10 s window: at most 40 pass even across a window's end
        {
            using var response = await management.GetAsync("/settings");
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Without_a_management_port_metrics_stay_on_the_one_port_and_there_are_no_operator_endpoints()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();

        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync("/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync("/settings"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.PostAsync("/readyz/disable", null)).StatusCode);
    }

    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        problem.Remove("traceId");
        return problem.ToJsonString();
    }
}
