using System.Diagnostics;
using System.Text;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>Run alone: `aspire run` uses the launch profile's fixed ports (frontend 5080, dashboard 18888).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AspireRunGroup
{
    public const string Name = "aspire run";
}

/// <summary>`aspire run` runs the app as `dotnet run --project HttpServer.AppHost` does, and stops on SIGTERM.</summary>
[Collection(AspireRunGroup.Name)]
public sealed class AspireRunTests
{
    [Fact]
    public async Task Aspire_run_serves_the_frontend_on_5080_calling_the_backend_prints_the_dashboard_link_and_stops_on_SIGTERM()
    {
        // With --no-build the CLI starts bin/Debug's AppHost when one exists, else `dotnet run` in the tests' configuration
        // (AspireCli.Environment): on CI only the tests' build exists; locally, a stale Debug build would be what runs.
        await AspireCli.RestoreAsync();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "aspire", "run", "--no-build", "--non-interactive", "--nologo" })
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in AspireCli.Environment)
        {
            startInfo.Environment[name] = value;
        }
        var output = new StringBuilder();
        using var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var chain = await ChainAsync(TimeSpan.FromMinutes(2));
            Assert.True(chain is not null, $"No answer on http://localhost:5080/chain:\n{output}");
            Assert.Contains("\"service\":\"frontend\"", chain, StringComparison.Ordinal);
            Assert.Contains("\"service\":\"backend\"", chain, StringComparison.Ordinal);
            lock (output)
            {
                Assert.Contains("http://localhost:18888/login?t=", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            // Ctrl+C's equivalent for a process without a terminal: the CLI stops the AppHost, which stops its resources.
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            using var exit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(exit.Token);
        }
        Assert.Null(await ChainAsync(TimeSpan.FromSeconds(30), expectAnswer: false));
    }

    /// <summary>
    /// Polls the frontend's /chain: returns the first 200 body (or null at the deadline); with
    /// <paramref name="expectAnswer"/> false, waits for it to stop answering and returns null, or the last body.
    /// </summary>
    private static async Task<string?> ChainAsync(TimeSpan timeout, bool expectAnswer = true)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow + timeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("http://localhost:5080/chain"));
                last = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
            }
            catch (HttpRequestException)
            {
                last = null;
            }
            catch (TaskCanceledException)
            {
                last = null;
            }
            if ((last is not null) == expectAnswer)
            {
                return last;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return last;
    }
}
