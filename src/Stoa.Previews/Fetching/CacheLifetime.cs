namespace Stoa.Previews.Fetching;

/// <summary>How long the upstream lets its response be cached, read from its response headers.</summary>
internal static class CacheLifetime
{
    public static TimeSpan? From(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is not null)
        {
            // We are a shared cache: private responses are as uncacheable for us as no-store ones.
            if (cacheControl.NoStore || cacheControl.NoCache || cacheControl.Private)
            {
                return TimeSpan.Zero;
            }

            // s-maxage is addressed to shared caches, so it wins over max-age.
            if ((cacheControl.SharedMaxAge ?? cacheControl.MaxAge) is { } maxAge)
            {
                return maxAge < TimeSpan.Zero ? TimeSpan.Zero : maxAge;
            }
        }

        if (response.Content.Headers.Expires is { } expires)
        {
            var date = response.Headers.Date ?? DateTimeOffset.UtcNow;
            var lifetime = expires - date;
            return lifetime < TimeSpan.Zero ? TimeSpan.Zero : lifetime;
        }

        return null;
    }
}
