namespace Stoa.Server.Tests.Deploy;

/// <summary>The manifest reader: the subset deploy/k8s uses reads as YAML would, anything else is refused by line.</summary>
public sealed class MiniYamlTests
{
    [Fact]
    public void Reads_mappings_sequences_scalars_and_documents()
    {
        var documents = MiniYaml.LoadAll("""
            # a comment
            kind: Deployment   # trailing comment
            spec:
              replicas: 2
              ratio: 0.5
              enabled: true
              nothing: null
              quoted: "8080"
              single: 'it''s'
              url: http://+:8080
              hash: "a # b"
              args: ["migrate", "--x"]
              empty: {}
              containers:
              - name: stoa
                ports:
                  - name: http
                    containerPort: 8080
                env:
                - name: A
                  value: "1"
            ---
            kind: Service
            """, "test.yaml");

        documents.Count.ShouldBe(2);
        var spec = new Node(documents[0], "test")["spec"];
        spec["replicas"].Long.ShouldBe(2);
        spec["ratio"].Value.ShouldBe(0.5);
        spec["enabled"].Bool.ShouldBeTrue();
        spec["nothing"].Exists.ShouldBeFalse();
        spec["quoted"].String.ShouldBe("8080");
        spec["single"].String.ShouldBe("it's");
        spec["url"].String.ShouldBe("http://+:8080");
        spec["hash"].String.ShouldBe("a # b");
        spec["args"].Items.Select(a => a.String).ShouldBe(["migrate", "--x"]);
        spec["empty"].Entries.ShouldBeEmpty();
        var container = spec["containers"].Items.Single();
        container["name"].String.ShouldBe("stoa");
        container["ports"].Items.Single()["containerPort"].Long.ShouldBe(8080);
        container["env"].Items.Single()["value"].String.ShouldBe("1");
        new Node(documents[1], "test")["kind"].String.ShouldBe("Service");
    }

    [Theory]
    [InlineData("a: &anchor 1", "anchors")]
    [InlineData("a: |\n  text", "block scalars")]
    [InlineData("a: 1\na: 2", "duplicate key")]
    [InlineData("a:\n\tb: 1", "tabs")]
    [InlineData("enabled: yes", "YAML 1.1")]
    [InlineData("a: {b: 1}", "flow mappings")]
    [InlineData("a: b: c", "quote it")]
    [InlineData("a:\n  b: 1\n    c: 2", "indentation")]
    public void Refuses_what_it_does_not_read_naming_the_line(string yaml, string reason)
    {
        var error = Should.Throw<FormatException>(() => MiniYaml.LoadAll(yaml, "bad.yaml"));
        error.Message.ShouldStartWith("bad.yaml:");
        error.Message.ShouldContain(reason);
    }
}
