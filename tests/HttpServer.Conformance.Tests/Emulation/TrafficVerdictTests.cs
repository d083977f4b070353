using HttpServer.Conformance.Tests.Load;

namespace HttpServer.Conformance.Tests.Emulation;

/// <summary>Refusals count as "endpoint removed" only once the Service can have stopped routing to the pod.</summary>
public sealed class TrafficVerdictTests
{
    private static readonly DateTime Deleted = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Judge_counts_refusals_before_propagation_and_errors_as_failures()
    {
        RequestRecord[] records =
        [
            Request(-1, Outcome.Succeeded, 200),
            Request(0.5, Outcome.Refused, null),
            Request(1, Outcome.Failed, 502),
            Request(TrafficVerdict.EndpointPropagation.TotalSeconds + 0.1, Outcome.Refused, null),
            Request(-0.5, Outcome.Failed, null),
        ];

        var verdict = TrafficVerdict.Judge(records, Deleted);

        Assert.Equal((5, 1, 3, 1, 1), (verdict.Sent, verdict.Succeeded, verdict.Failed, verdict.EndpointRemoved, verdict.FailedBeforeUnready));
    }

    private static RequestRecord Request(double secondsAfterDeletion, Outcome outcome, int? status) =>
        new("/", Deleted.AddSeconds(secondsAfterDeletion), Deleted.AddSeconds(secondsAfterDeletion + 0.01), outcome, status, null, null);
}
