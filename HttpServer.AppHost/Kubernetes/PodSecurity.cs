using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>Pod Security "restricted", for every pod the generator writes (the app's and the dashboard's): non-root, no escalation, nothing writable but /tmp.</summary>
internal static class PodSecurity
{
    public static V1PodSecurityContext Pod(int user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        FsGroup = user,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container(int user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1VolumeMount TmpMount => new() { Name = "tmp", MountPath = "/tmp" };

    /// <summary>The root filesystem is read-only; .NET writes its diagnostics sockets and temp files here.</summary>
    public static V1Volume TmpVolume => new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } };
}
