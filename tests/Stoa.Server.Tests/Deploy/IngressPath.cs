using System.Text.RegularExpressions;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// One path of an Ingress in deploy/k8s, matched the way ingress-nginx matches it: per path segment for
/// <c>Prefix</c>; once any Ingress of the host sets <c>use-regex</c>, every path of the host becomes a
/// case-insensitive regex anchored at the start (<c>location ~* "^path"</c>), tried longest first.
/// </summary>
internal sealed record IngressPath(Manifest Ingress, string Path, string Service, string Port, bool Regex)
{
    public static IReadOnlyList<IngressPath> All()
    {
        var ingresses = KubernetesManifests.OfKind("Ingress").ToList();
        var regex = ingresses.Any(i => i["metadata"]["annotations"]["nginx.ingress.kubernetes.io/use-regex"].Value as string == "true");
        return [.. ingresses.SelectMany(ingress => ingress["spec"]["rules"].Items.SelectMany(r => r["http"]["paths"].Items).Select(p =>
        {
            var type = p["pathType"].String;
            // ImplementationSpecific paths are regexes here; without use-regex ingress-nginx would read them as prefixes.
            (type == "Prefix" || (type == "ImplementationSpecific" && regex)).ShouldBeTrue($"{p.Path}: pathType {type}");
            var backend = p["backend"]["service"];
            return new IngressPath(ingress, p["path"].String, backend["name"].String, backend["port"]["name"].String, regex);
        }))];
    }

    /// <summary>The path ingress-nginx picks for a request path (or a route template: <c>{id}</c> is one segment).</summary>
    public static IngressPath? Winner(IReadOnlyList<IngressPath> paths, string requestPath) =>
        paths.OrderByDescending(p => p.Path.Length).FirstOrDefault(p => p.Matches(requestPath));

    public bool Matches(string requestPath) => Regex
        ? System.Text.RegularExpressions.Regex.IsMatch(requestPath, "^" + Path, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
        : requestPath.Equals(Path, StringComparison.Ordinal) || requestPath.StartsWith(Path.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The regex's capture groups for a request path (only for regex paths that match it).</summary>
    public GroupCollection Captures(string requestPath) =>
        System.Text.RegularExpressions.Regex.Match(requestPath, "^" + Path, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant).Groups;

    public string? Annotation(string name) => Ingress["metadata"]["annotations"][name].Value as string;
}
