using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

public sealed class DocsPanelTests(StoaSite site) : BrowserTest(site)
{
    [Fact]
    public async Task Two_people_typing_in_the_same_document_converge_and_see_each_others_cursor()
    {
        var alice = await NewPersonAsync();
        await alice.OpenAsAsync("alice");
        var aliceText = alice.GetByLabel("Shared text", new() { Exact = true });
        // Reopened as alice (the first visit signed in as a guest), and ready for typing.
        await Expect(alice.Locator("#docs-people .me")).ToHaveTextAsync("alice (you)");
        await Expect(aliceText).ToBeEditableAsync();
        var docId = await alice.GetByLabel("Document", new() { Exact = true }).InputValueAsync();
        docId.ShouldNotBeNullOrWhiteSpace("a first visit creates a document");

        var bob = await NewPersonAsync();
        await bob.OpenAsAsync("bob", $"/?doc={docId}");
        var bobText = bob.GetByLabel("Shared text", new() { Exact = true });
        await Expect(bob.Locator("#docs-people .me")).ToHaveTextAsync("bob (you)");
        await Expect(bobText).ToBeEditableAsync();
        await Expect(bob.GetByLabel("Document", new() { Exact = true })).ToHaveValueAsync(docId);

        await aliceText.ClickAsync();
        await bobText.ClickAsync();
        // Both type at the same time, each at their end of the text: concurrent ops the server must transform.
        await Task.WhenAll(
            aliceText.PressSequentiallyAsync("Alice writes here. ", new() { Delay = 15 }),
            bobText.PressSequentiallyAsync("Bob adds a line.", new() { Delay = 15 }));
        await bobText.PressAsync("Enter");
        await bobText.PressSequentiallyAsync("Ünïcode ✓ 🙂", new() { Delay = 15 });

        var converged = await WaitForSameTextAsync(aliceText, bobText);
        converged.ShouldContain("Alice writes here. ");
        converged.ShouldContain("Bob adds a line.");
        converged.ShouldContain("Ünïcode ✓ 🙂");
        await Expect(alice.Locator("#docs-state")).ToHaveTextAsync("Saved");
        await Expect(bob.Locator("#docs-state")).ToHaveTextAsync("Saved");

        // Each sees the other in the document and their cursor drawn inside the text.
        await Expect(alice.Locator("#docs-people")).ToContainTextAsync("bob");
        await Expect(bob.Locator("#docs-people")).ToContainTextAsync("alice");
        await Expect(alice.Locator("#docs-mirror .remote-cursor[data-user='bob']")).ToHaveCountAsync(1);
        await Expect(bob.Locator("#docs-mirror .remote-cursor[data-user='alice']")).ToHaveCountAsync(1);

        await alice.Locator("#docs").ScreenshotAsync("docs-alice");
        await bob.Locator("#docs").ScreenshotAsync("docs-bob");
        alice.Problems().ShouldBeEmpty();
        bob.Problems().ShouldBeEmpty();
    }

    private static async Task<string> WaitForSameTextAsync(ILocator first, ILocator second)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string a, b;
        do
        {
            a = await first.InputValueAsync();
            b = await second.InputValueAsync();
            if (a == b && a.Contains("🙂", StringComparison.Ordinal) && a.Contains("Alice writes here. ", StringComparison.Ordinal))
            {
                return a;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        throw new ShouldAssertException($"The two windows did not converge.\nalice: {a}\nbob:   {b}");
    }
}
