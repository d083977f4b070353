using HttpServer.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        await using var factory = new ApiFactory();

        using var response = await factory.CreateClient().GetAsync("/no/such/route");

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    [Trait("Host", "InMemory")]
    public async Task Unhandled_exception_is_a_500_problem_without_stack_trace_or_message()
    {
        await using var factory = new ApiFactory();
        var client = factory.InMemory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, ThrowingRoute>())).CreateClient();

        using var response = await client.GetAsync(ThrowingRoute.Path);
        var text = await response.Content.ReadAsStringAsync();

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(ThrowingRoute.Secret, text);
        Assert.DoesNotContain("   at ", text);
    }

    /// <summary>A request that falls through the app's routes and throws, inside its exception handler.</summary>
    private sealed class ThrowingRoute : IStartupFilter
    {
        public const string Path = "/test-only/throw";
        public const string Secret = "connection string with a password";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path == Path
                ? throw new InvalidOperationException(Secret)
                : nextMiddleware(context));
        };
    }
}
