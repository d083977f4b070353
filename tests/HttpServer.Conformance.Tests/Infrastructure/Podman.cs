using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Infrastructure;

/// <summary>The podman command line, with the containers.conf tests/setup/podman.sh wrote.</summary>
public static class Podman
{
    /// <summary>Every container the suite starts carries it, so a later run can remove leftovers.</summary>
    public const string Label = "httpserver.conformance";

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["CONTAINERS_CONF"] = Path.Combine(ConformancePaths.WorkDirectory, "containers.conf"),
    };

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync("podman", arguments, timeout ?? TimeSpan.FromMinutes(2), Environment, cancellationToken: cancellationToken);

    /// <summary><c>podman stop -t</c>: SIGTERM (the image's stop signal), SIGKILL after the given seconds.</summary>
    public static async Task StopAsync(string container, int gracePeriodSeconds) =>
        (await RunAsync(["stop", "--time", $"{gracePeriodSeconds}", container],
            TimeSpan.FromSeconds(gracePeriodSeconds + 60))).EnsureSuccess("podman stop");

    public static async Task<ContainerState> InspectAsync(string container)
    {
        var result = (await RunAsync(["container", "inspect", container])).EnsureSuccess("podman inspect");
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement[0];
        var state = root.GetProperty("State");
        return new ContainerState(
            state.GetProperty("Running").GetBoolean(),
            state.GetProperty("ExitCode").GetInt32(),
            state.GetProperty("StartedAt").GetString() ?? "",
            root.TryGetProperty("RestartCount", out var restarts) ? restarts.GetInt32() : 0,
            state.GetProperty("OOMKilled").GetBoolean());
    }

    /// <summary>What the container wrote to stdout and stderr.</summary>
    public static async Task<string> LogsAsync(string container)
    {
        var result = (await RunAsync(["logs", container])).EnsureSuccess("podman logs");
        return result.StandardOutput + result.StandardError;
    }

    public static async Task<JsonElement> InspectImageAsync(string image)
    {
        var result = (await RunAsync(["image", "inspect", image])).EnsureSuccess("podman image inspect");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement[0].Clone();
    }

    public static Task RemoveAsync(string container) => RunAsync(["rm", "--force", "--time", "0", container]);

    /// <summary>Containers an aborted earlier run left behind.</summary>
    public static async Task RemoveLeftoversAsync()
    {
        var listed = await RunAsync(["ps", "--all", "--quiet", "--filter", $"label={Label}"]);
        foreach (var id in listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RemoveAsync(id);
        }
    }
}

public sealed record ContainerState(bool Running, int ExitCode, string StartedAt, int RestartCount, bool OomKilled);
