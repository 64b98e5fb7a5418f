using Stoa.Previews.Extraction;

namespace Stoa.Previews.Tests;

/// <summary>The date formats pages publish, zones included; misreadings refused.</summary>
public sealed class DateParserTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2024-05-17T10:00:00Z", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17T10:00:00.431Z", "2024-05-17T10:00:00.431Z")]
    [InlineData("2024-05-17T12:00:00+02:00", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17T12:00:00+0200", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17T05:00:00-05", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17 10:00:00", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17 14:15:00 -0500", "2024-05-17T19:15:00Z")]
    [InlineData("2024-05-17 06:00:00 EDT", "2024-05-17T10:00:00Z")]
    [InlineData("2024-05-17", "2024-05-17T00:00:00Z")]
    [InlineData("2024/05/17", "2024-05-17T00:00:00Z")]
    [InlineData("2024-05", "2024-05-01T00:00:00Z")]
    [InlineData("20240517", "2024-05-17T00:00:00Z")]
    [InlineData("20240517T101500Z", "2024-05-17T10:15:00Z")]
    [InlineData("1715940000", "2024-05-17T10:00:00Z")]
    [InlineData("1715940000000", "2024-05-17T10:00:00Z")]
    [InlineData("Fri, 17 May 2024 10:00:00 GMT", "2024-05-17T10:00:00Z")]
    [InlineData("Fri, 17 May 2024 10:00:00 +0000", "2024-05-17T10:00:00Z")]
    [InlineData("Thu, 09 May 2024 18:30:00 EDT", "2024-05-09T22:30:00Z")]
    [InlineData("17 May 2024 03:00:00 PDT", "2024-05-17T10:00:00Z")]
    [InlineData("May 17, 2024", "2024-05-17T00:00:00Z")]
    [InlineData("May 17, 2024 3:45 PM PDT", "2024-05-17T22:45:00Z")]
    [InlineData("Friday, May 17, 2024 12:00 AM EST", "2024-05-17T05:00:00Z")]
    [InlineData("Sept. 3, 2024 at 10:30 a.m. CST", "2024-09-03T16:30:00Z")]
    [InlineData("17 May 2024", "2024-05-17T00:00:00Z")]
    [InlineData("3rd March 2023", "2023-03-03T00:00:00Z")]
    [InlineData("Mon May 17 2024 10:00:00 GMT+0200 (Central European Summer Time)", "2024-05-17T08:00:00Z")]
    [InlineData("09 Jun 2023 00:00:00 GMT", "2023-06-09T00:00:00Z")]
    [InlineData("2024-05-17T10:00:00 IST", "2024-05-17T04:30:00Z")]
    public void Dates_pages_publish_are_read(string text, string expected)
    {
        DateParser.Parse(text, Now).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("1850-01-01")]
    [InlineData("2031-01-01")]
    [InlineData("May 17")]
    [InlineData("12345")]
    [InlineData("2024-05-17T10:00:00 XYZT")]
    [InlineData("٢٠٢٤-٠٥-١٧T10:00:00Z")] // Regex's \d matches these digits; int.Parse does not: refused, not thrown.
    [InlineData("May ١٧, ٢٠٢٤ 3:45 PM")]
    [InlineData("٢٠٢٤٠٥١٧")]
    [InlineData("१७/०५/२०२४")]
    public void Non_dates_and_implausible_dates_are_refused(string text)
    {
        DateParser.Parse(text, Now).ShouldBeNull();
    }

    [Theory]
    [InlineData("https://example.com/2024/05/17/slug/", "2024-05-17")]
    [InlineData("https://example.com/news/2024/5/7/slug", "2024-05-07")]
    [InlineData("https://example.com/2024-05-17-slug.html", "2024-05-17")]
    [InlineData("https://example.com/blog/2024/05/17", "2024-05-17")]
    public void Dates_in_urls_are_read(string url, string expected)
    {
        DateParser.FromUrl(new Uri(url), Now)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Theory]
    [InlineData("https://example.com/2024/05/slug/")]
    [InlineData("https://example.com/products/20240517")]
    [InlineData("https://example.com/2024/13/40/slug")]
    public void Urls_without_a_full_date_have_none(string url)
    {
        DateParser.FromUrl(new Uri(url), Now).ShouldBeNull();
    }

    [Theory]
    [InlineData("By Ana Lima | March 3, 2023", "March 3, 2023")]
    [InlineData("Updated 11:02 AM EDT, May 23, 2024", "May 23, 2024")]
    [InlineData("Publié le 06 août 2024", null)]
    [InlineData("Posted 2024-01-02 by Sam", "2024-01-02")]
    [InlineData("Mon 15 Jan 2024 16.00 GMT", "15 Jan 2024 16.00 GMT")]
    public void A_date_is_found_in_free_text(string text, string? expected)
    {
        DateParser.FindText(text).ShouldBe(expected);
    }
}
