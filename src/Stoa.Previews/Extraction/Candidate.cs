using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>The card fields whose value is chosen among candidates.</summary>
internal enum CardField
{
    Title,
    Description,
    Url,
    SiteName,
    Type,
    Locale,
    Author,
    Published,
    Modified,
    Image,
    Video,
    Audio,
    Logo,
    Favicon,
    ThemeColor,
}

/// <summary>
/// One value a source offers for a field, as found: a raw text, an absolute URL, a date as written, or a
/// <see cref="LinkImage"/>/<see cref="LinkVideo"/>/<see cref="LinkAudio"/>. Cleaning, parsing and choosing happen in
/// <see cref="CardMerger"/>, which ranks candidates by <see cref="Sources"/>.
/// </summary>
internal sealed record Candidate(CardField Field, string Source, object Value)
{
    /// <summary>The value as a text for reports (the URL of a media item).</summary>
    public string Display => Value switch
    {
        LinkImage image => image.Url,
        LinkVideo video => video.Url,
        LinkAudio audio => audio.Url,
        _ => Value.ToString() ?? string.Empty,
    };
}

/// <summary>Candidates in the order they were found. Blank values are not recorded.</summary>
internal sealed class CandidateList
{
    private readonly List<Candidate> _items = [];

    public IReadOnlyList<Candidate> Items => _items;

    public void Add(CardField field, string source, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            _items.Add(new Candidate(field, source, value));
        }
    }

    public void Add(string source, LinkImage? image)
    {
        if (image is not null)
        {
            _items.Add(new Candidate(CardField.Image, source, image));
        }
    }

    public void Add(string source, LinkVideo? video)
    {
        if (video is not null)
        {
            _items.Add(new Candidate(CardField.Video, source, video));
        }
    }

    public void Add(string source, LinkAudio? audio)
    {
        if (audio is not null)
        {
            _items.Add(new Candidate(CardField.Audio, source, audio));
        }
    }

    public void AddRange(CandidateList other) => _items.AddRange(other._items);

    public void RemoveAll(Predicate<Candidate> match) => _items.RemoveAll(match);

    public bool Has(CardField field) => _items.Exists(c => c.Field == field);
}
