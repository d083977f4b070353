using k8s;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Serializes the generated files with KubernetesClient's serializer and replaces the output folder as a whole: everything
/// is rendered in memory, written to a staging folder beside it, then moved in. The folder is output only: a folder that
/// the generator did not write is never replaced.
/// </summary>
public static class ManifestWriter
{
    public const string GeneratedHeader =
        "# Generated from the AppHost's application model (HttpServer.AppHost/Kubernetes): do not edit; regenerate instead.";

    /// <summary>The text of each file, by relative path, in a stable order; LF line ends, no timestamps.</summary>
    public static SortedDictionary<string, string> Render(IEnumerable<ManifestFile> files)
    {
        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // A string is already text: the chart's templates and values, which are not YAML objects before rendering.
            var text = (file.Content as string ?? KubernetesYaml.Serialize(file.Content)).ReplaceLineEndings("\n").TrimEnd('\n');
            // JSON has no comments: a JSON file says it in its own field (the values schema's "$comment").
            var header = Path.GetExtension(file.Path) switch
            {
                ".md" => $"<!-- {GeneratedHeader[2..]} -->\n",
                ".json" => "",
                _ => $"{GeneratedHeader}\n",
            };
            rendered.Add(file.Path, $"{header}{text}\n");
        }
        return rendered;
    }

    public static void Write(string outputDirectory, IReadOnlyList<ManifestFile> files)
    {
        var rendered = Render(files);
        var output = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !IsGenerated(output))
        {
            throw new ManifestGenerationException($"'{output}' exists and was not generated: move it away or name another output folder.");
        }
        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(output)}-generating-{Guid.NewGuid():N}");
        var replaced = Path.Combine(parent, $".{Path.GetFileName(output)}-replaced-{Guid.NewGuid():N}");
        try
        {
            foreach (var (path, text) in rendered)
            {
                var target = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }
            if (Directory.Exists(output))
            {
                Directory.Move(output, replaced);
            }
            Directory.Move(staging, output);
        }
        finally
        {
            DeleteIfExists(staging);
            DeleteIfExists(replaced);
        }
    }

    /// <summary>The generator's own output: its top-level kustomization.yaml starts with the header.</summary>
    private static bool IsGenerated(string directory)
    {
        var marker = Path.Combine(directory, "kustomization.yaml");
        return File.Exists(marker) && File.ReadLines(marker).FirstOrDefault() == GeneratedHeader;
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
