using Stoa.Previews.Extraction;

namespace Stoa.Previews.Tests;

/// <summary>Titles, descriptions and bylines as people read them.</summary>
public sealed class TextRulesTests
{
    [Theory]
    [InlineData("How We Cut Build Times | Acme Blog", "Acme Blog", "How We Cut Build Times")]
    [InlineData("How We Cut Build Times - Acme Blog", "Acme Blog", "How We Cut Build Times")]
    [InlineData("How We Cut Build Times – acme blog", "Acme Blog", "How We Cut Build Times")]
    [InlineData("Acme Blog: How We Cut Build Times", "Acme Blog", "How We Cut Build Times")]
    [InlineData("GitHub - stoa-dev/stoa: Realtime backend", "GitHub", "stoa-dev/stoa: Realtime backend")]
    [InlineData("Tour stage 9 - video Dailymotion", "Dailymotion", "Tour stage 9")]
    [InlineData("Acme Blog", "Acme Blog", "Acme Blog")]
    [InlineData("Why Acme Blog readers love lists", "Acme Blog", "Why Acme Blog readers love lists")]
    [InlineData("Post-mortem - Acme Blogger", "Acme Blog", "Post-mortem - Acme Blogger")]
    [InlineData("| Acme Blog", "Acme Blog", "| Acme Blog")]
    public void A_known_site_name_is_removed_from_either_end_of_a_title(string title, string site, string expected)
    {
        TextNormalizer.StripSiteName(title, [site]).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Story - Millbrook Gazette", "https://www.millbrookgazette.example/x", "Millbrook Gazette")]
    [InlineData("Opening hours | Lakeside Clinic", "https://lakeside-clinic.example/", "Lakeside Clinic")]
    [InlineData("Drought | The New York Times", "https://www.nytimes.com/2024/x.html", "The New York Times")]
    [InlineData("Shopmart.example: Skillet : Kitchen", "https://www.shopmart.example/dp/1", "Shopmart.example")]
    [InlineData("Menu | The Blue Door", "https://bluedoorcafe.example/menu", null)]
    [InlineData("Plain title", "https://plain.example/", null)]
    public void A_title_segment_naming_the_domain_is_the_site_name(string title, string url, string? expected)
    {
        TextNormalizer.SiteNameFromTitle(title, new Uri(url)).ShouldBe(expected);
    }

    [Fact]
    public void Long_descriptions_are_cut_at_a_word_boundary_within_the_cap()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 200));
        var cut = TextNormalizer.Clean(text, TextNormalizer.MaxDescription)!;
        cut.Length.ShouldBeLessThanOrEqualTo(TextNormalizer.MaxDescription);
        cut.ShouldEndWith("word…");
    }

    [Fact]
    public void A_single_overlong_word_is_cut_mid_word()
    {
        var cut = TextNormalizer.Truncate(new string('x', 500), 300);
        cut.Length.ShouldBe(300);
        cut.ShouldEndWith("x…");
    }

    [Theory]
    [InlineData("By Jane Doe", false, "Jane Doe")]
    [InlineData("by: Jane Doe", false, "Jane Doe")]
    [InlineData("Written by Jane Doe", false, "Jane Doe")]
    [InlineData("BY REBECCA SANTOS AND JAMAL WHITE", false, "Rebecca Santos And Jamal White")]
    [InlineData("Jane Doe, Staff Writer", false, "Jane Doe")]
    [InlineData("Jane Doe - Senior Editor", false, "Jane Doe")]
    [InlineData("Jane Doe (Contributor)", false, "Jane Doe")]
    [InlineData("Simon Ashworth Business reporter", true, "Simon Ashworth")]
    [InlineData("Jamal White", false, "Jamal White")]
    [InlineData("Carol Head", true, "Carol Head")]
    [InlineData("By Ana Lima | March 3, 2023", true, "Ana Lima")]
    [InlineData("Jane Doe • 7 min read", true, "Jane Doe")]
    [InlineData("Jane Doe, Updated May 17, 2024", true, "Jane Doe")]
    [InlineData("Von Katrin Albers", false, "Katrin Albers")]
    [InlineData("Par Claire Dubois", true, "Claire Dubois")]
    [InlineData("Ines Varga (@ines.bsky.social)", false, "Ines Varga")]
    [InlineData("Jane Doe, CNN", false, "Jane Doe")]
    [InlineData("@jwriter", false, "@jwriter")]
    public void Bylines_become_names(string raw, bool guessed, string expected)
    {
        TextNormalizer.Author(raw, guessed, ["CNN"]).Name.ShouldBe(expected);
    }

    [Theory]
    [InlineData("https://www.facebook.com/jane", false)]
    [InlineData("jane@example.com", false)]
    [InlineData("Business reporter", false)]
    [InlineData("Jane", true)]
    [InlineData("Posted 3 days ago", true)]
    [InlineData("Jane Doe is a reporter who has covered city hall for the Ledger since 2009 and before that worked for a decade in local radio", false)]
    public void Text_that_is_no_name_is_refused(string raw, bool guessed)
    {
        var (name, rejection) = TextNormalizer.Author(raw, guessed, []);
        name.ShouldBeNull();
        rejection.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("Müller, Anna", "Anna Müller")]
    [InlineData("Müller, Anna; Schmidt, Jonas", "Anna Müller, Jonas Schmidt")]
    [InlineData("Anna Müller", "Anna Müller")]
    public void Citation_authors_are_turned_first_name_first(string raw, string expected)
    {
        TextNormalizer.FirstNameFirst(raw).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Le Quotidien", "Le Quotidien.fr", true)]
    [InlineData("DER RUNDBLICK", "Der Rundblick", true)]
    [InlineData("Claire Dubois", "Le Quotidien.fr", false)]
    public void An_author_named_like_the_site_is_the_publisher(string author, string site, bool expected)
    {
        TextNormalizer.IsSiteName(author, [site]).ShouldBe(expected);
    }
}
