using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Stoa.Testing;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 body with the given status and code, and a traceId; returns the parsed body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.GetProperty("code").GetString().ShouldBe(code, text);
        body.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        return body;
    }

    public static Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient client, string url, string json, string contentType = "application/json") =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T value) =>
        client.PostAsJsonAsync(url, value);
}
