namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>How a test's pod departs from the rendered template (a new revision, or a negative control).</summary>
public sealed record PodOptions
{
    /// <summary>Configuration values set both as env vars and, where the mounted ConfigMap has the key, in its file.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>Runs the image's entrypoint through this command instead (the shell-wrapper control).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Runs this image instead of the template's (the NativeAOT variant).</summary>
    public string? Image { get; init; }

    /// <summary>Drops the preStop hook (the no-drain control).</summary>
    public bool WithoutPreStop { get; init; }

    /// <summary>Leaves out the securityContext's capabilities.drop (the capabilities control).</summary>
    public bool WithoutCapabilityDrop { get; init; }

    /// <summary>Revision part of the pod name, as a ReplicaSet's hash would be.</summary>
    public string Revision { get; init; } = "rev1";

    public static PodOptions Default { get; } = new();
}
