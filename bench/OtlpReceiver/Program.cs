using OtlpReceiver;

// A stand-in for an OpenTelemetry collector: accepts OTLP/HTTP protobuf exports on loopback, counts
// them and answers 200 with an empty Export*ServiceResponse, so the exporter's full cost is paid.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();
var stats = new ReceivedExports();

app.MapPost("/v1/{signal}", async (string signal, HttpRequest request, CancellationToken cancellationToken) =>
{
    var length = await ReceivedExports.DrainAsync(request.Body, cancellationToken);
    stats.Record(signal, length);
    return TypedResults.Bytes(Array.Empty<byte>(), "application/x-protobuf");
});

// "signal exports bytes" per line, for the bench to show that telemetry really arrived.
app.MapGet("/stats", () => TypedResults.Text(stats.Describe()));

app.Run();
