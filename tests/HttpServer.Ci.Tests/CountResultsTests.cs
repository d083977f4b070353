using HttpServer.Testing;

namespace HttpServer.Ci.Tests;

/// <summary>
/// CI's count (.ci/count-results) over TRX files that dotnet test wrote for a passing, a failing, a skipped, an empty
/// (a filter that matched nothing) and a crashed (Environment.FailFast) test run; they are in Trx/, trimmed of output
/// and stack traces. The suites are passed as CI passes them: each expected as TestResults/SUITE.trx.
/// </summary>
public sealed class CountResultsTests : IDisposable
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "tests", "HttpServer.Ci.Tests", "Trx");
    private readonly string _results = Directory.CreateTempSubdirectory("count-results-").FullName;

    [Fact]
    public async Task Passing_suites_are_summed_and_the_run_passes()
    {
        var result = await CountAsync(("api", "passing"), ("apphost", "passing"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2 passed, 0 failed, 0 skipped", LastLine(result));
    }

    [Fact]
    public async Task Skipped_tests_are_counted_apart_and_do_not_fail_the_run()
    {
        var result = await CountAsync(("api", "skipped"), ("apphost", "passing"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2 passed, 0 failed, 1 skipped", LastLine(result));
    }

    [Fact]
    public async Task A_failing_test_fails_the_run()
    {
        var result = await CountAsync(("api", "failing"), ("apphost", "passing"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("2 passed, 1 failed, 0 skipped", LastLine(result));
    }

    [Fact]
    public async Task A_crashed_test_host_next_to_a_passing_suite_fails_the_run_and_is_named()
    {
        var result = await CountAsync(("api", "crashed"), ("apphost", "passing"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("1 passed, 1 failed, 0 skipped", LastLine(result));
        Assert.Contains("api: the run did not complete (outcome 'Failed'): The active test run was aborted. Reason: Test host process crashed",
            result.StandardError);
    }

    [Fact]
    public async Task A_suite_that_ran_no_test_fails_the_run_and_is_named()
    {
        var result = await CountAsync(("api", "empty"), ("apphost", "passing"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("1 passed, 1 failed, 0 skipped", LastLine(result));
        Assert.Equal("count-results: api: no test ran", result.StandardError.Trim());
    }

    [Fact]
    public async Task A_suite_that_ran_no_test_passes_when_empty_suites_are_allowed()
    {
        var result = await CountAsync(["--allow-empty"], ("api", "empty"), ("apphost", "passing"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 passed, 0 failed, 0 skipped", LastLine(result));
    }

    [Fact]
    public async Task An_expected_suite_without_a_trx_fails_the_run_and_is_named()
    {
        var result = await CountAsync(("apphost", "passing"), ("api", null));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("1 passed, 1 failed, 0 skipped", LastLine(result));
        Assert.Equal("count-results: api: no TRX: the suite did not run", result.StandardError.Trim());
    }

    [Fact]
    public async Task A_folder_without_any_trx_fails_the_run()
    {
        var result = await ProcessRunner.RunAsync("bash", [CountResults, _results], TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("0 passed, 1 failed, 0 skipped", LastLine(result));
    }

    private static string CountResults => Path.Combine(RepositoryPaths.Root, ".ci", "count-results");

    private Task<ProcessResult> CountAsync(params (string Suite, string? Sample)[] suites) => CountAsync([], suites);

    /// <summary>Copies each sample to RESULTS/SUITE.trx (none for a null sample) and counts the suites, in that order.</summary>
    private Task<ProcessResult> CountAsync(string[] options, params (string Suite, string? Sample)[] suites)
    {
        foreach (var (suite, sample) in suites.Where(s => s.Sample is not null))
        {
            File.Copy(Path.Combine(Samples, sample + ".trx"), Path.Combine(_results, suite + ".trx"));
        }
        return ProcessRunner.RunAsync("bash", [CountResults, .. options, _results, .. suites.Select(s => s.Suite)], TimeSpan.FromSeconds(30));
    }

    private static string LastLine(ProcessResult result) => result.StandardOutput.TrimEnd().Split('\n')[^1];

    public void Dispose() => Directory.Delete(_results, recursive: true);
}
