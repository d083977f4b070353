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

    public static async Task<ProcessResult> RunAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Restored.Value;
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["Configuration"] = RepositoryPaths.Configuration, // what `dotnet run --no-build` inside the CLI picks
            ["NO_COLOR"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1",
        };
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
