using System.Globalization;
using System.Net;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>
/// Hostile URLs under the default policy (no allow-list): every spelling of a forbidden address is refused before any
/// connection, and names are refused when any address they resolve to is forbidden. DNS is the fake resolver only.
/// </summary>
public sealed class SsrfPolicyTests : IDisposable
{
    private readonly FakeResolver _resolver = new FakeResolver()
        .Map("localtest.me", "127.0.0.1")
        .Map("evil.example", "10.0.0.1")
        .Map("rebind.example", "93.184.216.34", "10.0.0.1")
        .Map("internal.example", "192.168.0.10")
        .Map("metadata.example", "169.254.169.254")
        .Map("v6loopback.example", "::1")
        .Map("mapped.example", "::ffff:10.0.0.1")
        .Map("ula.example", "fd00:ec2::254")
        .Map("cgnat.example", "100.64.1.2")
        .Map("xn--bcher-kva.example", "10.9.8.7");

    private readonly PreviewService _service;

    public SsrfPolicyTests()
    {
        _service = new PreviewService(new PreviewOptions(), _resolver);
    }

    public void Dispose() => _service.Dispose();

    public static TheoryData<string> NotAllowed() =>
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://LOCALHOST/",
        "http://localhost./",
        "http://foo.localhost/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://127.0.1/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://127.000.000.001/",
        "http://0x7f.0x0.0x0.0x1/",
        "http://127.0.0.0x1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://0.0.0.0/",
        "http://0/",
        "http://0x0/",
        "http://[::]/",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]/",
        "http://%31%32%37.0.0.1/",
        "http://%6c%6f%63%61%6c%68%6f%73%74/",
        "http://１２７.０.０.１/",
        "http://127。0。0。1/",
        "http://127.0.0.1./",
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata/",
        "http://instance-data/",
        "http://metadata.goog/",
        "http://printer.local/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://100.100.100.200/",
        "http://192.0.0.192/",
        "http://198.18.0.1/",
        "http://198.19.255.255/",
        "http://192.0.2.1/",
        "http://198.51.100.7/",
        "http://203.0.113.9/",
        "http://224.0.0.1/",
        "http://239.255.255.250/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://[fe80::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
        "http://[::127.0.0.1]/",
        "http://[::ffff:0:0]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:7f00:1::]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        "http://evil@127.0.0.1/",
        "http://user:pass@example.com/",
        "http://example.com@127.0.0.1/",
        "http://127.0.0.1#@example.com/",
        "http://127.0.0.1:80/",
        "https://127.0.0.1:443/",
        "http://example.com:8080/",
        "http://example.com:22/",
        "https://example.com:6379/",
        "http://0.0.0.0:443/",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",
        "http://ＬＯＣＡＬＨＯＳＴ/",
        "http://[::ffff:169.254.169.254]/",
        "http://168.63.129.16/",
        "http://[::ffff:168.63.129.16]/",
        "http://169.254.169.254.:80/",
    ];

    /// <summary>Names whose addresses (one of them, for rebind.example) are refused: only DNS tells.</summary>
    public static TheoryData<string> ResolvesToRefusedAddress() =>
    [
        "http://localtest.me/",
        "http://evil.example/",
        "http://rebind.example/",
        "http://internal.example/",
        "http://metadata.example/",
        "http://v6loopback.example/",
        "http://mapped.example/",
        "http://ula.example/",
        "http://CGNAT.example./",
        "http://bücher.example/",
    ];

    public static TheoryData<string> Invalid() =>
    [
        "",
        "   ",
        "not a url",
        "/relative/path",
        "//example.com/protocol-relative",
        "http://",
        "http://4294967296/",
        "http://0x100000000/",
        "http://1.2.3.4.5/",
        "http://08.0.0.1/",
        "http://09/",
        "http://[::ffff:127.1]/",
        "http://a b.example/",
        "http://" + new string('a', 5000) + ".example/",
    ];

    [Theory]
    [MemberData(nameof(NotAllowed))]
    public async Task Hostile_url_is_not_allowed(string url)
    {
        await _service.GetAsync(url, TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UrlNotAllowed);
    }

    [Theory]
    [MemberData(nameof(ResolvesToRefusedAddress))]
    public async Task A_name_resolving_to_a_refused_address_gets_the_same_answer_as_one_that_does_not_resolve(string url)
    {
        // Were the two told apart, previewing made-up names would map which internal names exist.
        var refused = await _service.GetAsync(url, TestContext.Current.CancellationToken).ShouldFail();
        var unknown = await _service.GetAsync("http://nowhere.example/", TestContext.Current.CancellationToken).ShouldFail();
        refused.Code.ShouldBe(PreviewErrors.UpstreamUnreachable);
        (refused.Code, refused.Message, refused.UpstreamStatus).ShouldBe((unknown.Code, unknown.Message, unknown.UpstreamStatus));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Malformed_url_is_invalid(string url)
    {
        await _service.GetAsync(url, TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.InvalidUrl);
    }

    [Fact]
    public async Task Literal_addresses_never_reach_the_resolver()
    {
        foreach (var url in new[] { "http://127.0.0.1/", "http://[::1]/", "http://2130706433/", "http://１２７.０.０.１/", "http://127.0.0.1./" })
        {
            await _service.GetAsync(url, TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UrlNotAllowed);
        }

        _resolver.Lookups.ShouldBeEmpty();
    }

    [Fact]
    public async Task Name_resolving_to_a_private_address_is_refused_after_one_lookup()
    {
        await _service.GetAsync("http://evil.example/page", TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
        _resolver.Lookups.Count(h => h == "evil.example").ShouldBe(1);
    }

    [Fact]
    public async Task Idn_names_are_resolved_in_their_punycode_form()
    {
        await _service.GetAsync("http://BÜCHER.example/", TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
        _resolver.Lookups.ShouldContain("xn--bcher-kva.example");
    }

    [Fact]
    public async Task Unresolvable_name_is_unreachable()
    {
        await _service.GetAsync("http://nowhere.example/", TestContext.Current.CancellationToken).ShouldFailWith(PreviewErrors.UpstreamUnreachable);
    }

    [Fact]
    public void Error_codes_map_to_their_http_statuses()
    {
        PreviewErrors.HttpStatusOf(PreviewErrors.InvalidUrl).ShouldBe(400);
        PreviewErrors.HttpStatusOf(PreviewErrors.UrlNotAllowed).ShouldBe(422);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamTimeout).ShouldBe(504);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamUnreachable).ShouldBe(502);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamStatus).ShouldBe(502);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamTooLarge).ShouldBe(502);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamTooManyRedirects).ShouldBe(502);
        PreviewErrors.HttpStatusOf(PreviewErrors.UpstreamCircuitOpen).ShouldBe(503);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_allowed(string address)
    {
        AddressClassifier.IsForbidden(IPAddress.Parse(address)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0177.0.0.01", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7F000001", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0x", "0.0.0.0")]
    [InlineData("1.2.3.4.", "1.2.3.4")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("0xffffffff", "255.255.255.255")]
    [InlineData("037777777777", "255.255.255.255")]
    [InlineData("0x00000000000000007f.1", "127.0.0.1")]
    public void Ipv4_host_forms_are_read_like_a_browser(string host, string expected)
    {
        Ipv4HostParser.TryParse(host, out var address).ShouldBe(Ipv4HostParser.Result.Ipv4);
        address!.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("example.com", "NotIpv4")]
    [InlineData("1.2.3.example", "NotIpv4")]
    [InlineData("0x7g.1", "Invalid")]
    [InlineData("4294967296", "Invalid")]
    [InlineData("1.2.3.4.5", "Invalid")]
    [InlineData("256.1.1.1", "Invalid")]
    [InlineData("1.256.1", "Invalid")]
    [InlineData("1.2.65535", "Ipv4")]
    [InlineData("1.65536.1", "Invalid")]
    [InlineData("08", "Invalid")]
    [InlineData("example.0x10", "Invalid")]
    public void Ipv4_parser_distinguishes_names_numbers_and_garbage(string host, string expected)
    {
        Ipv4HostParser.TryParse(host, out _).ShouldBe(Enum.Parse<Ipv4HostParser.Result>(expected));
    }

    /// <summary>
    /// Random addresses from forbidden ranges, written in random browser-accepted forms (mixed radixes, 1 to 4 parts,
    /// IPv4-mapped, NAT64, 6to4). The seed is fixed and printed with every failure.
    /// </summary>
    [Fact]
    public async Task Random_spellings_of_forbidden_addresses_are_refused()
    {
        const int Seed = 20261121;
        var random = new Random(Seed);
        (uint Network, int Prefix)[] ranges =
        [
            (0x7F000000, 8), (0x0A000000, 8), (0xAC100000, 12), (0xC0A80000, 16), (0xA9FE0000, 16),
            (0x64400000, 10), (0x00000000, 8), (0xE0000000, 4), (0xF0000000, 4), (0xC6120000, 15),
        ];

        for (var i = 0; i < 300; i++)
        {
            var (network, prefix) = ranges[random.Next(ranges.Length)];
            var address = network | ((uint)random.NextInt64(0, 1L << (32 - prefix)));
            var host = random.Next(4) switch
            {
                0 => Ipv6Form(address, random),
                _ => Ipv4Form(address, random),
            };
            var url = $"http://{host}/";
            var error = await _service.GetAsync(url, TestContext.Current.CancellationToken).ShouldFail();
            error.Code.ShouldBe(PreviewErrors.UrlNotAllowed, $"seed {Seed}, case {i}: {url}");
        }

        _resolver.Lookups.ShouldBeEmpty();
    }

    private static string Ipv4Form(uint address, Random random)
    {
        byte[] b = [(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address];
        var parts = random.Next(1, 5);
        var numbers = parts switch
        {
            1 => new ulong[] { address },
            2 => [b[0], address & 0xFFFFFF],
            3 => [b[0], b[1], address & 0xFFFF],
            _ => [b[0], b[1], b[2], b[3]],
        };
        return string.Join('.', numbers.Select(n => random.Next(3) switch
        {
            0 => n.ToString(CultureInfo.InvariantCulture),
            1 => "0x" + n.ToString(random.Next(2) == 0 ? "x" : "X", CultureInfo.InvariantCulture),
            _ => "0" + Convert.ToString((long)n, 8),
        }));
    }

    private static string Ipv6Form(uint address, Random random)
    {
        var hi = (address >> 16).ToString("x", CultureInfo.InvariantCulture);
        var lo = (address & 0xFFFF).ToString("x", CultureInfo.InvariantCulture);
        var dotted = new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]).ToString();
        return random.Next(4) switch
        {
            0 => $"[::ffff:{dotted}]",
            1 => $"[::ffff:{hi}:{lo}]",
            2 => $"[64:ff9b::{hi}:{lo}]",
            _ => $"[2002:{hi}:{lo}::1]",
        };
    }
}
