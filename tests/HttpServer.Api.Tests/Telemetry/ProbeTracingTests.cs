using HttpServer.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace HttpServer.Api.Tests.Telemetry;

/// <summary>With an OTLP endpoint, requests are traced, except the probes and scrapes on the management port.</summary>
[Trait("Host", "InMemory")]
public sealed class ProbeTracingTests : IDisposable
{
    private const int ManagementPort = 18081;
    private readonly ApiFactory _factory = new ApiFactory()
        .With("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
        .With("Management:Port", ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("/readyz", ManagementPort, false)]
    [InlineData("/metrics", ManagementPort, false)]
    [InlineData("/readyz", 8080, true)] // the public port: a client's request, not the kubelet's
    [InlineData("/readyz/x", ManagementPort, true)]
    [InlineData("/version", ManagementPort, true)]
    public void Only_a_probe_or_scrape_on_the_management_port_is_left_out_of_traces(string path, int localPort, bool traced)
    {
        var services = _factory.InMemory.Services;
        var filter = services.GetRequiredService<IOptionsMonitor<AspNetCoreTraceInstrumentationOptions>>().CurrentValue.Filter;
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Connection.LocalPort = localPort;

        Assert.NotNull(filter);
        Assert.Equal(traced, filter(context));
    }

    public void Dispose() => _factory.Dispose();
}
