using System.Text;
using BenchmarkDotNet.Attributes;
using Stoa.Ot;

namespace Stoa.Bench.Ot;

/// <summary>
/// Throughput of the OT work the docs server does for every op: parse, transform against the ops the client missed,
/// apply to the document. Run: <c>dotnet run -c Release --project bench/Stoa.Bench -- --filter *TextOt*</c>.
/// </summary>
[MemoryDiagnoser]
public class TextOtBenchmarks
{
    private string _document = string.Empty;
    private int _documentLength;
    private TextOp _typing = TextOp.Empty;
    private TextOp[] _history = [];
    private TextOp _composedEdit = TextOp.Empty;
    private byte[] _typingJson = [];
    private string _edited = string.Empty;

    /// <summary>Document size in UTF-16 units (mostly ASCII, an emoji every 500 characters).</summary>
    [Params(10_000, 1_000_000)]
    public int DocumentSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var text = new StringBuilder(DocumentSize);
        while (text.Length < DocumentSize)
        {
            text.Append(text.Length % 500 == 0 ? "\U0001F483" : ((char)('a' + random.Next(26))).ToString());
        }

        _document = text.ToString();
        _documentLength = CodePoints.Count(_document);
        _typing = TextOp.Insert(_documentLength / 2, "x");
        _typingJson = Encoding.UTF8.GetBytes(_typing.ToJson());

        // 100 concurrent edits by others, spread through the document, each made on the previous result.
        _history = new TextOp[100];
        string doc = _document;
        for (int i = 0; i < _history.Length; i++)
        {
            int length = CodePoints.Count(doc);
            int position = random.Next(length - 10);
            _history[i] = i % 3 == 0 ? TextOp.Delete(position, 3) : TextOp.Insert(position, "edit ");
            doc = TextOt.Apply(doc, _history[i]);
        }

        _edited = doc;
        _composedEdit = TextOp.Create(
            TextOpComponent.Skip(_documentLength / 4),
            TextOpComponent.Insert("hello"),
            TextOpComponent.Skip(_documentLength / 4),
            TextOpComponent.Delete(10),
            TextOpComponent.Skip(_documentLength / 4),
            TextOpComponent.Insert("world"));
    }

    [Benchmark]
    public TextOp Parse() => TextOp.Parse(_typingJson);

    [Benchmark]
    public TextOp TransformAgainstHistory()
    {
        TextOp op = _typing;
        foreach (TextOp past in _history)
        {
            op = TextOt.Transform(op, past, TransformSide.Right);
        }

        return op;
    }

    [Benchmark]
    public string ApplyOneInsert() => TextOt.Apply(_document, _typing);

    [Benchmark]
    public string ApplySpreadEdit() => TextOt.Apply(_document, _composedEdit);

    [Benchmark]
    public TextOp ComposeHistory()
    {
        TextOp op = TextOp.Empty;
        foreach (TextOp past in _history)
        {
            op = TextOt.Compose(op, past);
        }

        return op;
    }

    [Benchmark]
    public TextOp Diff() => TextOt.Diff(_document, _edited);
}
