namespace HttpServer.AppHost.Kubernetes;

/// <summary>One command line: the tool (kubectl or helm, as configured) and its arguments.</summary>
public sealed record CommandLine(string Tool, IReadOnlyList<string> Arguments)
{
    /// <summary>As a POSIX shell would take it: what dry-run prints, and what a user can paste.</summary>
    public override string ToString() => string.Join(' ', new[] { Tool }.Concat(Arguments).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@".Contains(c)) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>
/// The commands deploy and destroy run, as a pure function of the options, the output folder and the services, so
/// that dry-run prints exactly what a real run executes and tests can read them.
/// </summary>
public static class DeployCommands
{
    /// <summary>Asks the API server for its version: fails fast, with kubectl's own message, when no cluster answers.</summary>
    public static CommandLine ClusterCheck(DeployOptions options) =>
        Kubectl(options, "version", "--request-timeout=10s");

    /// <param name="options">The deploy settings.</param>
    /// <param name="output">The output folder: applied as publish wrote it (the chart with its defaults, --reset-values, so
    /// that a Helm upgrade does not reuse the last release's values).</param>
    /// <param name="deployments">The Deployments to wait for.</param>
    public static IReadOnlyList<CommandLine> Deploy(DeployOptions options, string output, IEnumerable<string> deployments)
    {
        var apply = options.UsesHelm
            ? Helm(options, "upgrade", "--install", options.Release, Path.Combine(output, "chart"), "--reset-values")
            : Kubectl(options, "apply", "--server-side", "--field-manager=httpserver-deploy", "-k", output);
        // Rollout status, not helm --wait: the same readiness check for both tools, with one timeout per Deployment.
        return [ClusterCheck(options), apply, .. deployments.Order(StringComparer.Ordinal).Select(name =>
            Kubectl(options, "rollout", "status", $"deployment/{name}", $"--timeout={options.RolloutTimeoutSeconds}s"))];
    }

    /// <summary>Deletes what deploy created from the same output (or the same release), nothing else: not the namespace.</summary>
    public static IReadOnlyList<CommandLine> Destroy(DeployOptions options, string output) =>
    [
        ClusterCheck(options),
        options.UsesHelm
            ? Helm(options, "uninstall", options.Release, "--wait")
            : Kubectl(options, "delete", "-k", output, "--ignore-not-found", "--wait=true"),
    ];

    private static CommandLine Kubectl(DeployOptions options, params string[] arguments) => new(options.Kubectl,
        [.. Context("--context", options), "--namespace", options.Namespace, .. arguments]);

    private static CommandLine Helm(DeployOptions options, params string[] arguments) => new(options.Helm,
        [.. arguments, .. Context("--kube-context", options), "--namespace", options.Namespace]);

    private static string[] Context(string flag, DeployOptions options) =>
        string.IsNullOrWhiteSpace(options.Context) ? [] : [flag, options.Context];
}
