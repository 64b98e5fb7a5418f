namespace Stoa.Foundation.OpenApi;

/// <summary>
/// The pattern every item of a list of strings matches, for the OpenAPI document (data annotations cannot reach a
/// list's items). Like <see cref="System.ComponentModel.DataAnnotations.RegularExpressionAttribute"/> on request
/// records here, it documents what the handler checks; the hostile sweep's contract pass holds the two together.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemPatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
