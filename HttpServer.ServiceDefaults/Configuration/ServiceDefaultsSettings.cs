namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>The settings the service defaults read, one rule each (docs/configuration.md lists them for users).</summary>
internal static class ServiceDefaultsSettings
{
    public static readonly SettingRules Rules = new(
        OwnedSections: ["AccessLog", "Lifecycle", "ForwardedHeaders", "Kestrel:Limits"],
        Rules:
        [
            // Sent in a header on every response: a character Kestrel can't write would fail every request.
            SettingRule.HeaderValue("VERSION", maxLength: 128),
            SettingRule.LogLevel("Logging:LogLevel:*"),
            SettingRule.LogLevel("Logging:*:LogLevel:*"),
            SettingRule.LogLevel("AccessLog:Level"),
            SettingRule.LogLevel("AccessLog:ProbeLevel"),
            SettingRule.Number("Lifecycle:DrainDelaySeconds", 0, 300),
            SettingRule.Number("Lifecycle:ShutdownTimeoutSeconds", 0, 300),
            SettingRule.Number("Lifecycle:WarmupExtraDelaySeconds", 0, 600),
            SettingRule.UrlPath("Lifecycle:WarmupPaths:*"),
            new("ForwardedHeaders:Enabled", "true or false; true needs a ForwardedHeaders:KnownNetworks or KnownProxies entry",
                (value, section) => bool.TryParse(value, out var enabled)
                    && (!enabled || section.GetSection("KnownNetworks").GetChildren().Any() || section.GetSection("KnownProxies").GetChildren().Any())),
            SettingRule.IPNetwork("ForwardedHeaders:KnownNetworks:*"),
            SettingRule.IPAddress("ForwardedHeaders:KnownProxies:*"),
            SettingRule.WholeNumber("Kestrel:Limits:MaxRequestHeadersTotalSize", 1024, 1024 * 1024),
            SettingRule.WholeNumber("Kestrel:Limits:MaxRequestHeaderCount", 1, 1000),
            SettingRule.WholeNumber("Kestrel:Limits:MaxRequestLineSize", 256, 64 * 1024),
            SettingRule.WholeNumber("Kestrel:Limits:MaxRequestBodySize", 0, 1024 * 1024 * 1024),
        ]);
}
