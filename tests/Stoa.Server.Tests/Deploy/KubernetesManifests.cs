namespace Stoa.Server.Tests.Deploy;

/// <summary>One object of deploy/k8s: its file, kind, name and parsed body.</summary>
internal sealed record Manifest(string File, string ApiVersion, string Kind, string Name, Dictionary<string, object?> Body)
{
    public override string ToString() => $"{Kind}/{Name} ({File})";

    public Node this[string key] => new Node(Body, ToString())[key];
}

/// <summary>A value inside a manifest with the path that led to it, so that a failed lookup says where it looked.</summary>
internal sealed record Node(object? Value, string Path)
{
    public Node this[string key] => Value is Dictionary<string, object?> map
        ? new Node(map.GetValueOrDefault(key), $"{Path}.{key}")
        : new Node(null, $"{Path}.{key}");

    public bool Exists => Value is not null;

    public IEnumerable<Node> Items => Value switch
    {
        List<object?> list => list.Select((v, i) => new Node(v, $"{Path}[{i}]")),
        null => [],
        _ => throw new InvalidOperationException($"{Path} is not a list"),
    };

    public IEnumerable<(string Key, Node Value)> Entries => Value switch
    {
        Dictionary<string, object?> map => map.Select(e => (e.Key, new Node(e.Value, $"{Path}.{e.Key}"))),
        null => [],
        _ => throw new InvalidOperationException($"{Path} is not a mapping"),
    };

    public string String => Value as string ?? throw new InvalidOperationException($"{Path} is {Describe()}, not a string");

    public long Long => Value as long? ?? throw new InvalidOperationException($"{Path} is {Describe()}, not an integer");

    public bool Bool => Value as bool? ?? throw new InvalidOperationException($"{Path} is {Describe()}, not a boolean");

    private string Describe() => Value is null ? "missing" : $"{Value.GetType().Name} '{Value}'";
}

/// <summary>Every manifest under deploy/k8s (sub-folders included), parsed once.</summary>
internal static class KubernetesManifests
{
    private static readonly Lazy<IReadOnlyList<Manifest>> s_all = new(Load);

    public static string Directory => RepoFiles.PathOf("deploy", "k8s");

    public static IReadOnlyList<Manifest> All => s_all.Value;

    public static IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    public static Manifest Get(string kind, string name) =>
        All.SingleOrDefault(m => m.Kind == kind && m.Name == name) ?? throw new InvalidOperationException($"No {kind}/{name} in deploy/k8s.");

    /// <summary>The pod templates that run the stoa image: every Deployment's and the migration Job's.</summary>
    public static IEnumerable<(Manifest Owner, Node Pod)> PodTemplates() =>
        All.Where(m => m.Kind is "Deployment" or "Job").Select(m => (m, m["spec"]["template"]["spec"]));

    /// <summary>
    /// The environment a container sees: its envFrom ConfigMaps and Secrets in order, then its own env entries
    /// (which win, as in Kubernetes).
    /// </summary>
    public static Dictionary<string, string> EffectiveEnvironment(Node container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"].Items)
        {
            var (kind, field, reference) = source["configMapRef"].Exists
                ? ("ConfigMap", "data", source["configMapRef"])
                : ("Secret", "stringData", source["secretRef"]);
            foreach (var (key, value) in Get(kind, reference["name"].String)[field].Entries)
            {
                environment[key] = value.String;
            }
        }

        foreach (var variable in container["env"].Items)
        {
            environment[variable["name"].String] = variable["value"].String;
        }

        return environment;
    }

    private static IReadOnlyList<Manifest> Load()
    {
        var manifests = new List<Manifest>();
        var files = System.IO.Directory.EnumerateFiles(Directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(RepoFiles.Root, file);
            foreach (var document in MiniYaml.LoadAll(File.ReadAllText(file), relative))
            {
                var body = document as Dictionary<string, object?>
                    ?? throw new InvalidOperationException($"{relative}: a document is not a mapping");
                var node = new Node(body, relative);
                manifests.Add(new Manifest(relative, node["apiVersion"].String, node["kind"].String, node["metadata"]["name"].String, body));
            }
        }

        return manifests;
    }
}
