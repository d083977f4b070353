using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>One command line: the tool (kubectl, helm or dotnet), its arguments, and what it reads on stdin.</summary>
public sealed record CommandLine(string Tool, IReadOnlyList<string> Arguments, string? Input = null)
{
    /// <summary>As a POSIX shell would take it: what dry-run prints, and what a user can paste (stdin is not shown).</summary>
    public override string ToString() => string.Join(' ', new[] { Tool }.Concat(Arguments).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@".Contains(c)) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>What a command printed and how it ended: a recorded answer is enough to judge a prerequisite.</summary>
public sealed record CommandAnswer(int ExitCode, string Output, string Errors = "");

/// <summary>
/// How deploy runs its commands, dry or not, so that a dry run prints exactly what a real one executes: a change is
/// printed ("Would run") instead of run; a question to the cluster is printed ("Would ask") and left unanswered; a local,
/// read-only command (a render) runs in both.
/// </summary>
public sealed partial class DeployRun(ILogger logger, bool dryRun, CancellationToken cancellationToken)
{
    // A question is asked once per run (the cluster check's /version also answers preflight's version question).
    private readonly Dictionary<string, CommandAnswer?> _answers = [];

    public bool IsDry => dryRun;

    /// <summary>Runs a command that changes something, logs what it printed and returns it (dry: null); a failure stops deploy.</summary>
    public async Task<string?> RunAsync(CommandLine command)
    {
        Say($"{(dryRun ? "Would run" : "Running")}: {command}");
        return dryRun ? null : await RenderAsync(command, logOutput: true);
    }

    /// <summary>A read-only question to the cluster: its answer, whatever the exit code (a missing object is an answer too), or null in a dry run.</summary>
    public async Task<CommandAnswer?> AskClusterAsync(CommandLine query)
    {
        if (_answers.TryGetValue(query.ToString(), out var known))
        {
            return known;
        }
        if (dryRun)
        {
            Say($"Would ask: {query}");
        }
        return _answers[query.ToString()] = dryRun ? null : await AskAsync(query);
    }

    /// <summary>A local, read-only command (a render): it runs in a dry run too; a failure stops deploy.</summary>
    public async Task<string> RenderAsync(CommandLine command, bool logOutput = false)
    {
        var answer = await AskAsync(command);
        if (logOutput && answer.Output.Length > 0)
        {
            Say(answer.Output);
        }
        return answer.ExitCode == 0 ? answer.Output : throw Failed(command, answer);
    }

    public void Say(string message) => LogSay(logger, message);

    private async Task<CommandAnswer> AskAsync(CommandLine command)
    {
        // stdin is always redirected, and closed after the input: no tool waits for a terminal.
        var startInfo = new ProcessStartInfo(command.Tool, command.Arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(startInfo)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(command.Input);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            return new CommandAnswer(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
        }
        catch (Win32Exception)
        {
            throw new DeployException($"{command.Tool} was not found: install it (tests/setup/kubernetes.sh puts kubectl and helm under .work/tools) "
                + "or name it with --Kubernetes:Deploy:Kubectl=PATH / --Kubernetes:Deploy:Helm=PATH");
        }
    }

    /// <summary>dotnet prints its errors on stdout, kubectl and helm on stderr: the end of both.</summary>
    private static DeployException Failed(CommandLine command, CommandAnswer answer)
    {
        var said = $"{answer.Errors}\n{answer.Output}".Trim();
        return new DeployException($"`{command}` exited {answer.ExitCode}: {(said.Length <= 3000 ? said : said[^3000..])}");
    }

    [LoggerMessage(24, LogLevel.Information, "{Message}")]
    private static partial void LogSay(ILogger logger, string message);
}
