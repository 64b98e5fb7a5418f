using System.Net;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Which addresses and ports an upstream request may use: public unicast only, unless an operator lists a network in
/// <c>AllowedNetworks</c> (tests allow 127.0.0.1/32 for their local server this way).
/// </summary>
internal sealed class AddressPolicy
{
    private readonly IPNetwork[] _allowedNetworks;
    private readonly HashSet<int> _allowedPorts;

    /// <summary>The lists as <see cref="PreviewService.Problems"/> has checked them.</summary>
    public AddressPolicy(IEnumerable<string> allowedNetworks, IEnumerable<int> allowedPorts)
    {
        _allowedNetworks = [.. allowedNetworks.Select(text => TryParseNetwork(text, out var network)
            ? network
            : throw new ArgumentException($"'{text}' is not an address or a CIDR range.", nameof(allowedNetworks)))];
        _allowedPorts = [.. allowedPorts];
    }

    public static AddressPolicy Default { get; } = new([], [80, 443]);

    /// <summary>Reads one <c>AllowedNetworks</c> entry: a CIDR range, or a bare address meaning just that address.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        var cidr = text.Trim();
        if (!cidr.Contains('/') && IPAddress.TryParse(cidr, out var single))
        {
            cidr = $"{single}/{(single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}";
        }

        return IPNetwork.TryParse(cidr, out network);
    }

    public bool IsPortAllowed(int port) => _allowedPorts.Contains(port);

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && IsExplicitlyAllowed(address.MapToIPv4()))
        {
            return true;
        }

        return IsExplicitlyAllowed(address) || !AddressClassifier.IsForbidden(address);
    }

    private bool IsExplicitlyAllowed(IPAddress address)
    {
        foreach (var network in _allowedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
