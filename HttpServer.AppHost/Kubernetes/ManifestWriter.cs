using k8s;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Serializes generated files with KubernetesClient's serializer and replaces the generated part of an
/// output folder as a whole: everything is rendered in memory, written to a staging folder, then moved in.
/// Folders without the generated header (the hand-kept layer) are never touched.
/// </summary>
public static class ManifestWriter
{
    public const string GeneratedHeader =
        "# Generated from the AppHost's application model (HttpServer.AppHost/Kubernetes): do not edit; regenerate instead.";

    private const string KustomizationFile = "kustomization.yaml";

    /// <summary>The text of each file, by relative path, in a stable order; LF line ends, no timestamps.</summary>
    public static SortedDictionary<string, string> Render(IEnumerable<ManifestFile> files)
    {
        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file.Path.EndsWith(".json", StringComparison.Ordinal))
            {
                // JSON has no comments: copied byte for byte (the chart's copy of the Grafana dashboard).
                rendered.Add(file.Path, (string)file.Content);
                continue;
            }
            // A string is already text: the Helm chart's templates, which are not YAML before rendering.
            var yaml = (file.Content as string ?? KubernetesYaml.Serialize(file.Content)).ReplaceLineEndings("\n").TrimEnd('\n');
            rendered.Add(file.Path, $"{GeneratedHeader}\n{yaml}\n");
        }
        return rendered;
    }

    public static void Write(string outputDirectory, IReadOnlyList<ManifestFile> files)
    {
        var rendered = Render(files);
        var output = Path.GetFullPath(outputDirectory);
        var folders = rendered.Keys.Where(p => p.Contains('/', StringComparison.Ordinal))
            .Select(p => p[..p.IndexOf('/', StringComparison.Ordinal)]).Distinct().ToList();
        foreach (var folder in folders.Where(f => Directory.Exists(Path.Combine(output, f)) && !IsGenerated(Path.Combine(output, f))))
        {
            throw new ManifestGenerationException($"'{Path.Combine(output, folder)}' exists and was not generated: move it away or rename the resource.");
        }

        Directory.CreateDirectory(output);
        var staging = Path.Combine(output, $".generating-{Guid.NewGuid():N}");
        var replaced = Path.Combine(output, $".replaced-{Guid.NewGuid():N}");
        try
        {
            foreach (var (path, text) in rendered)
            {
                var target = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }
            Directory.CreateDirectory(replaced);
            // Generated folders of resources no longer in the model go too; hand-kept folders stay.
            var stale = Directory.EnumerateDirectories(output)
                .Where(d => !Path.GetFileName(d).StartsWith('.') && IsGenerated(d) && !folders.Contains(Path.GetFileName(d), StringComparer.Ordinal));
            foreach (var directory in folders.Select(f => Path.Combine(output, f)).Where(Directory.Exists).Concat(stale).ToList())
            {
                Directory.Move(directory, Path.Combine(replaced, Path.GetFileName(directory)));
            }
            foreach (var folder in folders)
            {
                Directory.Move(Path.Combine(staging, folder), Path.Combine(output, folder));
            }
            foreach (var file in rendered.Keys.Where(p => !p.Contains('/', StringComparison.Ordinal)))
            {
                File.Move(Path.Combine(staging, file), Path.Combine(output, file), overwrite: true);
            }
        }
        finally
        {
            DeleteIfExists(staging);
            DeleteIfExists(replaced);
        }
    }

    private static bool IsGenerated(string directory)
    {
        // A generated folder holds a kustomization (the services, per-service/) or is the Helm chart.
        var marker = new[] { KustomizationFile, "Chart.yaml" }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);
        return marker is not null && File.ReadLines(marker).FirstOrDefault() == GeneratedHeader;
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
