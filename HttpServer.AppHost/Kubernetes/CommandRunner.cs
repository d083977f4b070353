using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>Runs deploy's commands one after the other, stopping at the first failure with a message that says what to do.</summary>
public static partial class CommandRunner
{
    public static async Task RunAsync(CommandLine command, ILogger logger, CancellationToken cancellationToken)
    {
        LogRunning(logger, command.ToString());
        var answer = await AskAsync(command, cancellationToken);
        if (answer.Output.Length > 0)
        {
            LogOutput(logger, answer.Output);
        }
        if (answer.ExitCode != 0)
        {
            throw new DeployException($"`{command}` exited {answer.ExitCode}: {answer.Errors}");
        }
    }

    /// <summary>Runs a command and returns its answer whatever its exit code (a missing object is an answer too).</summary>
    public static async Task<CommandAnswer> AskAsync(CommandLine command, CancellationToken cancellationToken)
    {
        var tool = Resolve(command.Tool);
        var startInfo = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new DeployException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CommandAnswer(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>A path as given, or a name found on PATH: a missing tool is named before anything runs.</summary>
    public static string Resolve(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : throw Missing(tool);
        }
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        return found ?? throw Missing(tool);
    }

    private static DeployException Missing(string tool) => new(
        $"{tool} was not found: install it (tests/setup/kubernetes.sh puts kubectl and helm under .work/tools) "
        + "or name it with --Kubernetes:Deploy:Kubectl=PATH / --Kubernetes:Deploy:Helm=PATH");

    [LoggerMessage(10, LogLevel.Information, "Running: {Command}")]
    private static partial void LogRunning(ILogger logger, string command);

    [LoggerMessage(11, LogLevel.Information, "{Output}")]
    private static partial void LogOutput(ILogger logger, string output);
}
