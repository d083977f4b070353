using System.Diagnostics;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>Starts deploy's commands (<see cref="DeployRun"/> decides whether and logs them) and finds their tools.</summary>
public static class CommandRunner
{
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
}
