using System.Runtime.Versioning;

// podman, runc and the kubelet's volume layout: the suite runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
