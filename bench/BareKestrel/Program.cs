// The framework's ceiling: Kestrel and routing with nothing else, no logging provider, an empty 200.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();

var app = builder.Build();
app.MapGet("/", () => "");
app.Run();
