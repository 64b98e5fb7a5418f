namespace Stoa.Testing.Contract;

/// <summary>Responses of the app under test broke its OpenAPI document.</summary>
public sealed class ContractViolationException(string message) : Exception(message);
