using Microsoft.Extensions.Logging;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// How deploy runs its commands, dry or not, so that a dry run prints exactly what a real one executes: a change is
/// printed ("Would run") instead of run; a question to the cluster is printed ("Would ask") and left unanswered; a local,
/// read-only command (a render) runs in both.
/// </summary>
public sealed partial class DeployRun(ILogger logger, bool dryRun, CancellationToken cancellationToken)
{
    public bool IsDry => dryRun;

    /// <summary>Runs a command that changes something, logs what it printed and returns it (dry: null); a failure stops deploy.</summary>
    public async Task<string?> RunAsync(CommandLine command)
    {
        if (dryRun)
        {
            LogWouldRun(logger, command.ToString());
            return null;
        }
        LogRunning(logger, command.ToString());
        var answer = await CommandRunner.AskAsync(command, cancellationToken);
        if (answer.Output.Length > 0)
        {
            LogOutput(logger, answer.Output);
        }
        return answer.ExitCode == 0 ? answer.Output : throw Failed(command, answer);
    }

    /// <summary>A read-only question to the cluster: its answer, or null in a dry run.</summary>
    public async Task<CommandAnswer?> AskClusterAsync(CommandLine query)
    {
        if (dryRun)
        {
            LogWouldAsk(logger, query.ToString());
            return null;
        }
        return await CommandRunner.AskAsync(query, cancellationToken);
    }

    /// <summary>A local, read-only command (a render): it runs in a dry run too; a failure stops deploy.</summary>
    public async Task<string> RenderAsync(CommandLine command)
    {
        var answer = await CommandRunner.AskAsync(command, cancellationToken);
        return answer.ExitCode == 0 ? answer.Output : throw Failed(command, answer);
    }

    public void Say(string message) => LogSay(logger, message);

    /// <summary>dotnet prints its errors on stdout, kubectl and helm on stderr: the end of both.</summary>
    private static DeployException Failed(CommandLine command, CommandAnswer answer)
    {
        var said = $"{answer.Errors}\n{answer.Output}".Trim();
        return new DeployException($"`{command}` exited {answer.ExitCode}: {(said.Length <= 3000 ? said : said[^3000..])}");
    }

    [LoggerMessage(20, LogLevel.Information, "Would run: {Command}")]
    private static partial void LogWouldRun(ILogger logger, string command);

    [LoggerMessage(22, LogLevel.Information, "Would ask: {Command}")]
    private static partial void LogWouldAsk(ILogger logger, string command);

    [LoggerMessage(23, LogLevel.Information, "Running: {Command}")]
    private static partial void LogRunning(ILogger logger, string command);

    [LoggerMessage(25, LogLevel.Information, "{Output}")]
    private static partial void LogOutput(ILogger logger, string output);

    [LoggerMessage(24, LogLevel.Information, "{Message}")]
    private static partial void LogSay(ILogger logger, string message);
}
