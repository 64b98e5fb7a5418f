using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stoa.Server.Tests.Deploy;
using Stoa.Testing;

namespace Stoa.Server.Tests.Auth;

/// <summary>
/// The token-minting examples of docs/auth.md work: each one, exactly as the page shows it, signs a token that a live
/// server accepts for the user it names. The C# one is compiled here (and compared line by line with the page); the
/// Node and Python ones are run by node and python3.
/// </summary>
public sealed partial class TokenExampleTests : IAsyncLifetime
{
    // A user id that needs JSON escaping and UTF-8 on the way: each language's encoder must get it through.
    private const string UserId = "zoë \"the\" 🙂";

    private static readonly string s_doc = RepoFiles.Read("docs", "auth.md");

    private TestApp _app = null!;
    private TestTenant _tenant = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _tenant = await _app.CreateTenantAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_csharp_example_is_the_code_compiled_here_and_its_token_is_accepted()
    {
        var shown = Dedent(CodeBlock("csharp").Split('\n').SkipWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0));
        var source = File.ReadAllText(RepoFiles.PathOf("tests", "Stoa.Server.Tests", "Auth", "TokenExampleTests.cs")).Split('\n');
        var compiled = Dedent(source.SkipWhile(l => !l.Trim().StartsWith("// Begin: the C# example", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.Trim().StartsWith("// End: the C# example", StringComparison.Ordinal)));
        compiled.ShouldBe(shown, "docs/auth.md shows the method compiled in TokenExampleTests");

        await ShouldBeAcceptedAsync(UserToken(_tenant.Secret, UserId));
    }

    [Fact]
    public async Task The_node_example_signs_a_token_the_server_accepts()
    {
        // Node 20 runs JavaScript: the example's type annotations (": string", ": number", ": object") are its only
        // TypeScript, and are taken out here.
        var javascript = TypeAnnotation().Replace(CodeBlock("typescript"), "")
            + "\nconsole.log(userToken(process.env.STOA_SECRET, process.env.STOA_USER));\n";
        await ShouldBeAcceptedAsync(await RunAsync("node", "token.mjs", javascript));
    }

    [Fact]
    public async Task The_python_example_signs_a_token_the_server_accepts()
    {
        var python = CodeBlock("python") + "\nimport os\nprint(user_token(os.environ['STOA_SECRET'], os.environ['STOA_USER']))\n";
        await ShouldBeAcceptedAsync(await RunAsync("python3", "token.py", python));
    }

    // Begin: the C# example of docs/auth.md
    static string UserToken(string secret, string userId, int ttlSeconds = 3600)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        var signed = Part(new { alg = "HS256", typ = "JWT" }) + "." + Part(new { sub = userId, iat = now, exp = now + ttlSeconds });
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(signature);
    }
    // End: the C# example of docs/auth.md

    private async Task ShouldBeAcceptedAsync(string token)
    {
        using var client = _tenant.App();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        var response = await client.GetAsync("/v1/probe/user", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        JsonDocument.Parse(body).RootElement.GetProperty("userId").GetString().ShouldBe(UserId);
    }

    private async Task<string> RunAsync(string tool, string fileName, string program)
    {
        var executable = ExternalTools.Find(tool, tool == "node" ? "nodejs" : "python3");
        var directory = Directory.CreateTempSubdirectory("stoa-token-example-").FullName;
        try
        {
            var path = Path.Combine(directory, fileName);
            await File.WriteAllTextAsync(path, program, Ct);
            var info = new System.Diagnostics.ProcessStartInfo(executable, [path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["STOA_SECRET"] = _tenant.Secret;
            info.Environment["STOA_USER"] = UserId;
            info.Environment["PYTHONIOENCODING"] = "utf-8";
            using var process = System.Diagnostics.Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            process.ExitCode.ShouldBe(0, await stderr);
            return await stdout;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The first fenced block of the given language in docs/auth.md.</summary>
    private static string CodeBlock(string language)
    {
        var match = Regex.Match(s_doc, $"```{language}\\n(.*?)\\n```", RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"docs/auth.md has a {language} block");
        return match.Groups[1].Value;
    }

    private static string[] Dedent(IEnumerable<string> lines)
    {
        var list = lines.Select(l => l.TrimEnd('\r')).ToList();
        var indent = list.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return [.. list.Select(l => l.Length >= indent ? l[indent..] : l.Trim()).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@":\s*(?:string|number|object)\b")]
    private static partial Regex TypeAnnotation();
}
