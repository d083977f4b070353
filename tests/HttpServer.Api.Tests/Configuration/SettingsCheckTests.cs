using HttpServer.Api.Tests.Infrastructure;
using HttpServer.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.Api.Tests.Configuration;

/// <summary>The app's checks (every part's options types and the log levels, as registered), judging configurations built in memory.</summary>
[Trait("Host", "InMemory")]
public sealed class SettingsCheckTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private IReadOnlyList<SettingError> Check(IConfiguration configuration) =>
        OptionsCheck.CheckAll([.. factory.InMemory.Services.GetServices<OptionsCheck>()], configuration);

    [Theory]
    [InlineData("VERSION", "caf\u00e9")]
    [InlineData("VERSION", "1.0\r\nSet-Cookie: a=b")]
    [InlineData("VERSION", "1.0 beta")]
    [InlineData("Logging:LogLevel:Default", "abc")]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore", "3")]
    [InlineData("Logging:Console:LogLevel:Default", "Verbose")]
    [InlineData("AccessLog:Level", "abc")]
    [InlineData("AccessLog:ProbeLevel", "")]
    [InlineData("FaultInjection:ErrorRate", "5")]
    [InlineData("FaultInjection:ErrorRate", "abc")]
    [InlineData("FaultInjection:ErrorRate", "NaN")]
    [InlineData("FaultInjection:DelayMinMs", "-1")]
    [InlineData("FaultInjection:DelayMaxMs", "1.5")]
    [InlineData("FaultInjection:ErrorStatusCode", "200")]
    [InlineData("Lifecycle:DrainDelaySeconds", "-3")]
    [InlineData("Lifecycle:ShutdownTimeoutSeconds", "Infinity")]
    [InlineData("Lifecycle:WarmupPaths:0", "version")]
    [InlineData("ForwardedHeaders:Enabled", "yes")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.local")]
    [InlineData("Kestrel:Limits:MaxRequestBodySize", "-1")]
    [InlineData("Kestrel:Limits:MaxRequestHeaderCount", "0")]
    [InlineData("Downstream:BaseUrl", "ftp://backend")]
    [InlineData("Downstream:MaxRetryAttempts", "9")]
    [InlineData("Downstream:AttemptTimeoutSeconds", "5")] // the total's default is 5
    [InlineData("FaultInjection:DelayMinMs", "100")] // above the maximum, 0 by default
    [InlineData("ForwardedHeaders:KnownNetworks:0", "0.0.0.0/0")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "::/0")]
    [InlineData("Lifecycle:WarmupPaths:0", "//evil.example/x")]
    [InlineData("Lifecycle:WarmupPaths:0", "/\\evil.example/x")]
    public void A_bad_value_is_refused_naming_its_key(string key, string value)
    {
        var error = Assert.Single(Check(Configuration((key, value))));

        Assert.Equal(key, error.Key);
        Assert.NotEmpty(error.Problem);
        Assert.DoesNotContain('\n', error.ToString());
        Assert.DoesNotContain('\r', error.ToString());
    }

    [Theory]
    [InlineData("FaultInjection:ErrorRat")]
    [InlineData("Lifecycle:DrainDelay")]
    [InlineData("Kestrel:Limits:KeepAliveTimeout")]
    public void An_unknown_key_in_a_section_the_app_owns_is_refused(string key)
    {
        var error = Assert.Single(Check(Configuration((key, "1"))));

        Assert.Equal(key, error.Key);
        Assert.Equal("unknown setting", error.Problem);
    }

    [Theory]
    [InlineData("VERSION", "1.2.3-rc.1+build.5")]
    [InlineData("VERSION", "")]
    [InlineData("Logging:LogLevel:Default", "debug")]
    [InlineData("AccessLog:Level", "None")]
    [InlineData("FaultInjection:ErrorRate", "0.25")]
    [InlineData("FaultInjection:ErrorStatusCode", "500")]
    [InlineData("Lifecycle:WarmupPaths:3", "/status/204")]
    [InlineData("Downstream:BaseUrl", "http://backend")]
    [InlineData("FaultInjection:DelayMaxMs", "50")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8")]
    [InlineData("Kestrel:Limits:MaxRequestBodySize", "1048576")]
    [InlineData("Somebody:Elses:Setting", "anything \u00e9")]
    public void A_good_value_passes(string key, string value) =>
        Assert.Empty(Check(Configuration((key, value))));

    [Fact]
    public void Forwarded_headers_may_be_enabled_only_with_a_trusted_network_or_proxy()
    {
        Assert.NotEmpty(Check(Configuration(("ForwardedHeaders:Enabled", "true"))));
        Assert.Empty(Check(Configuration(("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"))));
        Assert.Empty(Check(Configuration(("ForwardedHeaders:Enabled", "true"), ("ForwardedHeaders:KnownProxies:0", "10.0.0.1"))));
    }

    [Fact]
    public void The_configuration_the_app_ships_with_passes() =>
        Assert.Empty(Check(factory.InMemory.Services.GetRequiredService<IConfiguration>()));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
