using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The Aspire CLI pinned in .config/dotnet-tools.json, restored on first use (a fresh machine has none), run from the
/// repository root on the AppHost this test project already built (<c>--no-build</c>, in the tests' configuration).
/// </summary>
internal static class AspireCli
{
    private static readonly Lazy<Task> Restored = new(async () =>
        (await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], TimeSpan.FromMinutes(3))).EnsureSuccess("dotnet tool restore"));

    /// <summary>Makes sure the pinned CLI is there (what a fresh machine's `dotnet tool restore` does).</summary>
    public static Task RestoreAsync() => Restored.Value;

    /// <summary>The environment every CLI run gets: the tests' build configuration, no colours, no telemetry.</summary>
    public static Dictionary<string, string> Environment => new()
    {
        ["Configuration"] = RepositoryPaths.Configuration, // what `dotnet run --no-build` inside the CLI picks
        ["NO_COLOR"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public static async Task<ProcessResult> RunAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Restored.Value;
        var variables = Environment;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return await ProcessRunner.RunAsync("dotnet",
            ["aspire", .. arguments, "--apphost", "HttpServer.AppHost/HttpServer.AppHost.csproj", "--no-build", "--non-interactive", "--nologo"],
            TimeSpan.FromMinutes(3), variables);
    }

    /// <summary>The AppHost's own form of the same pipeline, without the CLI: <c>dotnet run ... --operation publish --step</c>.</summary>
    public static Task<ProcessResult> RunStepAsync(string step, string output, params string[] settings) => ProcessRunner.RunAsync("dotnet",
        ["run", "--project", Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost"), "--no-build", "-c", RepositoryPaths.Configuration, "--",
            "--operation", "publish", "--step", step, "--output-path", output, .. settings],
        TimeSpan.FromMinutes(3));
}
