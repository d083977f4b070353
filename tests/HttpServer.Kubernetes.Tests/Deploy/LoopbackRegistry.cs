using System.Diagnostics;
using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Deploy;

/// <summary>
/// Debian's docker-registry on a free loopback port with its own storage, holding the base image that tests/setup/podman.sh
/// built (pushed from podman's storage): the SDK builds on it and pushes to it, as to any registry.
/// </summary>
public sealed class LoopbackRegistry : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"registry-{Guid.NewGuid():N}");
    private readonly int _port = FreePort.Next();
    private Process? _process;

    /// <summary>As the SDK must name it: it speaks plain HTTP to <c>localhost</c> only.</summary>
    public string Host => $"localhost:{_port}";

    public HttpClient Client { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var config = Path.Combine(_root, "registry.yml");
        await File.WriteAllTextAsync(config, $$"""
            version: 0.1
            log: { level: warn }
            storage: { filesystem: { rootdirectory: {{_root}}/data } }
            http: { addr: 127.0.0.1:{{_port}} }
            """);
        _process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("docker-registry did not start (tests/setup/podman.sh installs it)");
        Client.BaseAddress = new Uri($"http://127.0.0.1:{_port}/");
        for (var attempt = 0; attempt < 50 && !await AnswersAsync(); attempt++)
        {
            await Task.Delay(200);
        }
        var podman = new Dictionary<string, string> { ["CONTAINERS_CONF"] = Path.Combine(RepositoryPaths.Root, ".work", "podman", "containers.conf") };
        (await ProcessRunner.RunAsync("podman", ["push", "--tls-verify=false", "localhost:5000/base:latest", $"{Host}/base:latest"], TimeSpan.FromMinutes(2), podman))
            .EnsureSuccess("podman push of the base image (tests/setup/podman.sh builds it)");
    }

    /// <summary>The digest the registry serves for a tag (HEAD of the manifest, header Docker-Content-Digest).</summary>
    public async Task<string> DigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
        request.Headers.Add("Accept", ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"]);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>The image's labels, from its config blob.</summary>
    public async Task<Dictionary<string, string>> LabelsAsync(string repository, string digest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{digest}");
        request.Headers.Add("Accept", "application/vnd.oci.image.manifest.v1+json");
        using var manifest = JsonDocument.Parse(await (await Client.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString();
        using var blob = JsonDocument.Parse(await Client.GetStringAsync($"v2/{repository}/blobs/{config}"));
        return blob.RootElement.GetProperty("config").GetProperty("Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            return (await Client.GetAsync("v2/")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public Task DisposeAsync()
    {
        _process?.Kill();
        _process?.Dispose();
        Client.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
