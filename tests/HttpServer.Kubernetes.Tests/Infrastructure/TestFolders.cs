namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>Copies of aspirate-output's folders that a test can change without touching the committed ones.</summary>
internal static class TestFolders
{
    /// <summary>Copies <paramref name="from"/> with everything below it into <paramref name="to"/> (created as needed).</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
