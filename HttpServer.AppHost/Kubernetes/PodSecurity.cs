using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>Pod Security "restricted", for every pod the generator writes (the app's and the dashboard's): non-root, no escalation, nothing writable but /tmp.</summary>
internal static class PodSecurity
{
    /// <summary>The pod restricted: no API token, no service links, each container non-root with a read-only root and a /tmp.</summary>
    public static V1PodSpec Restricted(this V1PodSpec pod, int user)
    {
        pod.AutomountServiceAccountToken = false;
        pod.EnableServiceLinks = false;
        pod.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = user,
            RunAsGroup = user,
            FsGroup = user,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };
        foreach (var container in pod.Containers)
        {
            container.SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = user,
                RunAsGroup = user,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            };
            container.VolumeMounts = [.. container.VolumeMounts ?? [], new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }];
        }
        // The root filesystem is read-only; .NET writes its diagnostics sockets and temp files here.
        var tmp = new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } };
        pod.Volumes = [.. pod.Volumes ?? [], tmp];
        return pod;
    }
}
