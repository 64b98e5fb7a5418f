using System.CommandLine;
using System.CommandLine.Invocation;
using Stoa.Foundation.Hosting;

namespace Stoa.Mentions;

/// <summary>
/// <c>stoa mentions --query "chat api" --domain getstream.io [--engine duckduckgo|bing|url-template]</c>: prints
/// <c>true</c> (exit 0) when a result of the first results page links to the domain or a subdomain, <c>false</c> (exit 1)
/// when none does, and exits 2 with a one-line message on any error. Needs no store or configuration. The project's
/// only public entry: the <c>stoa</c> executable adds this command and knows nothing else of it.
/// </summary>
public static class MentionsCommand
{
    public const string BaseUrlVariable = "STOA_MENTIONS_BASE_URL";

    private static readonly TimeSpan s_maxTimeout = TimeSpan.FromHours(1);

    public static Command Create()
    {
        var options = new MentionsOptions();
        var command = new Command("mentions", "Search the web and print true if a result links to the domain (exit 0), false if none does (exit 1); exit 2 on error.")
        {
            options.Query, options.Domain, options.Engine, options.UrlTemplate, options.Selector, options.Timeout, options.BaseUrl, options.Verbose,
        };
        command.Action = new MentionsAction(options);
        return command;
    }

    private sealed class MentionsOptions
    {
        public Option<string> Query { get; } = new("--query") { Description = "What to search for, e.g. \"chat api\".", Required = true };

        public Option<string> Domain { get; } = new("--domain") { Description = "The site to look for, e.g. getstream.io; its subdomains count too.", Required = true };

        public Option<string> Engine { get; } = CreateEngineOption();

        public Option<string> UrlTemplate { get; } = new("--url-template") { Description = "For --engine url-template: the results page URL with {query}, e.g. https://searx.example/search?q={query}." };

        public Option<string> Selector { get; } = new("--selector") { Description = "For --engine url-template: the CSS selector of the result links, e.g. \"article.result h3 a\"." };

        public Option<string> Timeout { get; } = new("--timeout") { Description = "Give up after this long (connect, answer and page together), e.g. 10s, 1m.", DefaultValueFactory = _ => "10s" };

        // Points duckduckgo or bing at another server (a mirror, or a local one in tests); not for everyday use.
        public Option<string> BaseUrl { get; } = new("--base-url") { Description = $"Engine base URL (or {BaseUrlVariable}).", Hidden = true };

        public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print the matching link (or the number of results) to stderr." };

        private static Option<string> CreateEngineOption()
        {
            var engine = new Option<string>("--engine") { Description = "Where to search.", DefaultValueFactory = _ => "duckduckgo" };
            engine.AcceptOnlyFromAmong("duckduckgo", "bing", "url-template");
            return engine;
        }
    }

    /// <summary>
    /// Clears parse errors so that this action reports them itself with exit code 2: System.CommandLine's own
    /// error exit code is 1, which here means "false".
    /// </summary>
    private sealed class MentionsAction(MentionsOptions options) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parse, CancellationToken cancellationToken)
        {
            var problem = FirstUsageProblem(parse);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"stoa mentions: {problem} (see stoa mentions --help)");
                return 2;
            }

            using var http = SearchHttp.Create();
            var engine = CreateEngine(parse, http);
            try
            {
                var mention = await new MentionFinder(engine).FindAsync(parse.GetValue(options.Query)!, parse.GetValue(options.Domain)!, cancellationToken);
                if (parse.GetValue(options.Verbose))
                {
                    await Console.Error.WriteLineAsync(mention.Match is { } match
                        ? $"matched: {match.Url.AbsoluteUri} ({match.Title})"
                        : $"no link to {parse.GetValue(options.Domain)} among {mention.ResultCount} result(s)");
                }

                Console.WriteLine(mention.Found ? "true" : "false");
                return mention.Found ? 0 : 1;
            }
            catch (SearchEngineException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
        }

        private string? FirstUsageProblem(ParseResult parse)
        {
            if (parse.Errors.Count > 0)
            {
                return parse.Errors[0].Message;
            }

            if (parse.UnmatchedTokens.Count > 0)
            {
                return $"unrecognized argument '{parse.UnmatchedTokens[0]}'";
            }

            if (string.IsNullOrWhiteSpace(parse.GetValue(options.Query)))
            {
                return "--query must not be empty";
            }

            if (!HostNames.TryNormalizeDomain(parse.GetValue(options.Domain), out _))
            {
                return "--domain must be a host name such as getstream.io (no scheme, port or path)";
            }

            if (!Durations.TryParse(parse.GetValue(options.Timeout), out var timeout) || timeout > s_maxTimeout)
            {
                return "--timeout must look like 5s, 30s or 1m (at most 1h)";
            }

            var isTemplate = parse.GetValue(options.Engine) == "url-template";
            var template = parse.GetValue(options.UrlTemplate);
            var selector = parse.GetValue(options.Selector);
            if (!isTemplate)
            {
                return template is not null || selector is not null
                    ? "--url-template and --selector need --engine url-template"
                    : BaseUrlProblem(parse);
            }

            if (parse.GetValue(options.BaseUrl) is not null)
            {
                return "--base-url applies to duckduckgo and bing; --url-template already names the server";
            }

            if (!UrlTemplateEngine.TryValidateTemplate(template, out _, out var templateError))
            {
                return $"--url-template: {templateError}";
            }

            return UrlTemplateEngine.IsValidSelector(selector) ? null : "--selector must be a CSS selector for the result links, e.g. \"article.result h3 a\"";
        }

        private string? BaseUrlProblem(ParseResult parse) =>
            BaseUrlText(parse) is { } text && !TryParseBaseUrl(text, out _)
                ? $"the engine base URL must be an absolute http(s) URL, not '{text}'"
                : null;

        private ISearchEngine CreateEngine(ParseResult parse, HttpClient http)
        {
            Durations.TryParse(parse.GetValue(options.Timeout), out var timeout);
            Uri? baseUrl = BaseUrlText(parse) is { } text && TryParseBaseUrl(text, out var parsed) ? parsed : null;
            return parse.GetValue(options.Engine) switch
            {
                "bing" => new BingHtmlEngine(http, baseUrl, timeout),
                "url-template" => new UrlTemplateEngine(http, parse.GetValue(options.UrlTemplate)!, parse.GetValue(options.Selector)!, timeout),
                _ => new DuckDuckGoHtmlEngine(http, baseUrl, timeout),
            };
        }

        private string? BaseUrlText(ParseResult parse) =>
            parse.GetValue(options.BaseUrl) ?? NullIfEmpty(Environment.GetEnvironmentVariable(BaseUrlVariable));

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        private static bool TryParseBaseUrl(string text, out Uri url) =>
            Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
    }
}
