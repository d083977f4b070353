using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The Aspire-model reader on small models of its own: what it maps, and the bad input it refuses.</summary>
public sealed class GeneratorInputTests : IDisposable
{
    private static readonly string ApiProject = Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj");
    private readonly string _scratch = Directory.CreateTempSubdirectory("generator-input-").FullName;

    [Fact]
    public async Task A_service_reference_becomes_the_in_cluster_Service_address()
    {
        var builder = PublishBuilder();
        var backend = builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithReference(backend);

        var services = await ReadAsync(builder);

        var frontend = services.Single(s => s.Name == "frontend");
        Assert.Equal("http://backend:80", frontend.Environment["services__backend__http__0"]);
        Assert.Equal(new ContainerImage("httpserver-api", "1.0.0"), frontend.Image);
        Assert.Equal(new ServicePort("http", 8080, 80), Assert.Single(frontend.Ports));
    }

    [Fact]
    public async Task A_resource_type_without_a_mapping_is_refused_by_name()
    {
        var builder = PublishBuilder();
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");
        builder.AddContainer("cache", "redis");

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("'cache' of type ContainerResource cannot be mapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_without_container_image_settings_is_refused()
    {
        var project = Path.Combine(_scratch, "Plain.csproj");
        await File.WriteAllTextAsync(project, "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup /></Project>");
        var builder = PublishBuilder();
        builder.AddProject("plain", project, launchProfileName: null).WithHttpEndpoint(name: "http");

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("'plain' has no container image settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerRepository and ContainerImageTag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_parameter_is_not_written_into_a_ConfigMap()
    {
        var builder = PublishBuilder();
        var password = builder.AddParameter("password", "s3cret", secret: true);
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithEnvironment("Password", password);

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("secret parameter 'password'", error.Message, StringComparison.Ordinal);
    }

    private static IDistributedApplicationBuilder PublishBuilder() =>
        DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "kubernetes-manifests"]);

    private static Task<IReadOnlyList<ServiceDescription>> ReadAsync(IDistributedApplicationBuilder builder) =>
        AppModelReader.ReadAsync(new DistributedApplicationModel(builder.Resources), builder.ExecutionContext, CancellationToken.None);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
