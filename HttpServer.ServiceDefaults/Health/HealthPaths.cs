namespace HttpServer.ServiceDefaults.Health;

/// <summary>The probe paths, in one place: the AppHost compiles this file in too (it references no ServiceDefaults assembly).</summary>
internal static class HealthPaths
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";
}
