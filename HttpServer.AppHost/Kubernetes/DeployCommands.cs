namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The kubectl and helm commands deploy and destroy run, as a pure function of the options and the output folder, so
/// that dry-run prints exactly what a real run executes and tests can read them.
/// </summary>
public static class DeployCommands
{
    /// <summary>The API server's version (<c>kubectl version</c> would print the client's too): kubectl's own message when no cluster answers.</summary>
    public static CommandLine ClusterCheck(DeployOptions options) => Kubectl(options, "get", "--raw", "/version", "--request-timeout=10s");

    /// <summary>What the apply would send, rendered locally (no cluster needed): the objects preflight and the TLS step read.</summary>
    public static CommandLine Render(DeployOptions options, string output) =>
        options.UsesHelm ? Helm(options, ["template", options.Release, Path.Combine(output, "chart"), .. OwnValues(options)]) : new(options.Kubectl, ["kustomize", output]);

    /// <param name="options">The deploy settings.</param>
    /// <param name="applied">kustomize: the folder applied (the output, or deploy's overlay of it that pins the pushed images);
    /// Helm: the output folder, whose chart/ is installed with its defaults (--reset-values: an upgrade does not reuse the
    /// last release's values).</param>
    /// <param name="deployments">The Deployments to wait for.</param>
    /// <param name="images">Helm only: the pushed images, set as the chart's image by digest.</param>
    /// <param name="removed">kustomize only: what the output can hold and the apply no longer does (Helm removes it itself), deleted
    /// once the rollouts are done (a canary's route keeps its share until the promoted version is ready).</param>
    public static IReadOnlyList<CommandLine> Deploy(DeployOptions options, string applied, IEnumerable<string> deployments, IReadOnlyList<DeliveredImage> images,
        IReadOnlyList<string> removed)
    {
        // --force-conflicts: deploy owns every field it applies, so it takes back what a `kubectl patch` or `edit` changed
        // (another field manager) instead of stopping on the conflict; fields it does not apply stay the other manager's.
        // Helm 4 applies server-side too, with the same flag.
        var apply = options.UsesHelm
            ? Helm(options, ["upgrade", "--install", options.Release, Path.Combine(applied, "chart"), "--reset-values", "--force-conflicts", .. OwnValues(options), .. HelmImageValues(images)])
            : Kubectl(options, "apply", "--server-side", "--field-manager=httpserver-deploy", "--force-conflicts", "-k", applied);
        // Rollout status, not helm --wait: the same readiness check for both tools, with one timeout per Deployment.
        return [apply, .. deployments.Order(StringComparer.Ordinal).Select(name =>
            Kubectl(options, "rollout", "status", $"deployment/{name}", $"--timeout={options.RolloutTimeoutSeconds}s")),
            .. removed.Count > 0 ? [Delete(options, removed)] : Array.Empty<CommandLine>()];
    }

    private static string[] OwnValues(DeployOptions options) => options.ValuesFile.Length > 0 ? ["-f", options.ValuesFile] : [];

    /// <summary>The chart's one image, pinned: the pods pull <c>repository@digest</c>; the tag stays the version.</summary>
    private static IEnumerable<string> HelmImageValues(IReadOnlyList<DeliveredImage> images) => images switch
    {
        [] => [],
        [var image] => ["--set", $"image.repository={image.Repository}", "--set-string", $"image.digest={image.Digest}"],
        _ => throw new DeployException("the chart has one image value; the model's projects publish several images"),
    };

    /// <summary>
    /// Deletes what deploy created, nothing else (not the namespace): the release; kustomize: every object the output can hold
    /// (<paramref name="objects"/>), whichever components were on at deploy.
    /// </summary>
    public static CommandLine Destroy(DeployOptions options, IReadOnlyList<string> objects) =>
        options.UsesHelm ? Helm(options, "uninstall", options.Release, "--wait") : Delete(options, objects);

    /// <summary>The objects named (<c>kind.group/name</c>) that exist; done when they are gone.</summary>
    private static CommandLine Delete(DeployOptions options, IEnumerable<string> objects) => Kubectl(options, ["delete", .. objects, "--ignore-not-found", "--wait=true"]);

    public static CommandLine Kubectl(DeployOptions options, params string[] arguments) => KubectlIn(options, options.Namespace, arguments);

    /// <summary>kubectl with the configured context, in the given namespace.</summary>
    public static CommandLine KubectlIn(DeployOptions options, string ns, params string[] arguments) =>
        new(options.Kubectl, [.. Context("--context", options), "--namespace", ns, .. arguments]);

    private static CommandLine Helm(DeployOptions options, params string[] arguments) =>
        new(options.Helm, [.. arguments, .. Context("--kube-context", options), "--namespace", options.Namespace]);

    private static string[] Context(string flag, DeployOptions options) => string.IsNullOrWhiteSpace(options.Context) ? [] : [flag, options.Context];
}
