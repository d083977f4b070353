using HttpServer.Api.Faults;
using HttpServer.ServiceDefaults.Configuration;

namespace HttpServer.Api;

/// <summary>The Api's own settings, one rule each; the service defaults judge theirs (ServiceDefaultsSettings).</summary>
internal static class ApiSettings
{
    public static readonly SettingRules Rules = new(
        OwnedSections: [FaultInjectionOptions.SectionName, DownstreamOptions.SectionName],
        Rules:
        [
            SettingRule.WholeNumber("FaultInjection:DelayMinMs", 0, 60_000),
            SettingRule.WholeNumber("FaultInjection:DelayMaxMs", 0, 60_000),
            SettingRule.Number("FaultInjection:ErrorRate", 0, 1),
            // An injected error is an error: a 2xx or 3xx here would report success while failing the request.
            SettingRule.WholeNumber("FaultInjection:ErrorStatusCode", 400, 599),
            SettingRule.HttpUrl("Downstream:BaseUrl"),
            SettingRule.Number("Downstream:AttemptTimeoutSeconds", 0.1, 60),
            SettingRule.Number("Downstream:TotalTimeoutSeconds", 0.2, 120),
            SettingRule.WholeNumber("Downstream:MaxRetryAttempts", 0, 5),
        ]);
}
