using System.Net.Http.Headers;

namespace Stoa.Testing;

/// <summary>
/// An app (tenant) of the app under test, with clients for its anonymous side, its users and its backend. Module
/// tests create two and check that neither can read or change the other's data (the tenant-isolation pattern).
/// </summary>
public sealed class TestTenant(string apiKey, string secret, Func<HttpClient> createClient)
{
    public string ApiKey { get; } = apiKey;

    public string Secret { get; } = secret;

    /// <summary>A client sending only the API key.</summary>
    public HttpClient App()
    {
        var client = createClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>A client acting as <paramref name="userId"/> of this app.</summary>
    public HttpClient User(string userId)
    {
        var client = App();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(Secret, userId));
        return client;
    }

    /// <summary>A client acting as this app's backend (a server token).</summary>
    public HttpClient Server()
    {
        var client = App();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Server(Secret));
        return client;
    }
}
