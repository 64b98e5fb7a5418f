using System.CommandLine;
using Stoa.Foundation.Hosting;
using Stoa.Previews;

namespace Stoa.Server.Cli;

/// <summary>
/// <c>stoa previews inspect URL [--file page.html] [--json] [--offline] [--charset NAME]</c>: the card a URL yields and,
/// for each field, which source won and which candidates lost, like a sharing debugger. The previews module does the
/// work (<see cref="PreviewsModule.InspectAsync"/>) with the server's settings; this command only reads its arguments
/// and the saved page. Exit 0 with a card, 2 on any error.
/// </summary>
internal static class PreviewsCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The page's URL (with --file: the URL the saved page was served from, its base)." };
        var file = new Option<FileInfo?>("--file") { Description = "Read the page from this saved file instead of fetching it." };
        var json = new Option<bool>("--json") { Description = "Print only the card, as the API returns it." };
        var offline = new Option<bool>("--offline") { Description = "Fetch neither the page's oEmbed document nor its manifest." };
        var charset = new Option<string?>("--charset") { Description = "With --file: the charset the page's Content-Type header named." };
        var inspect = new Command("inspect", "Print the card a URL (or a saved page) yields, and where each field came from.")
        {
            url, file, json, offline, charset,
        };
        inspect.TreatUnmatchedTokensAsErrors = false;
        inspect.SetAction(async (parse, cancellationToken) =>
        {
            // A misspelt setting (AllowedNetwork for AllowedNetworks) would be ignored and the page refused for a reason
            // the user did not ask about: refused here as it is at start-up.
            var configuration = AppSettings.ForCli([.. parse.UnmatchedTokens]);
            try
            {
                configuration.CheckSettings(ModuleCatalog.Settings);
            }
            catch (InvalidConfigurationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            byte[]? page = null;
            if (parse.GetValue(file) is { } path)
            {
                try
                {
                    page = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"stoa previews inspect: {ex.Message}");
                    return 2;
                }
            }

            return await PreviewsModule.InspectAsync(configuration, parse.GetValue(url)!, page,
                parse.GetValue(charset), parse.GetValue(offline), parse.GetValue(json), Console.Out, Console.Error, cancellationToken);
        });

        return new Command("previews", "Inspect link previews.") { inspect };
    }
}
