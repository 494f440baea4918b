using System.Text.Json;
using System.Text.Json.Serialization;

namespace HitlConsole.Domain;

public enum IntentPolicy { MayAutoSend, AlwaysReview, Escalate, Block }

/// <summary>One intent the assistant knows: how to recognise it and what the policy allows for it.</summary>
public sealed record IntentDefinition(
    string Name, string Description, IntentPolicy Policy, IReadOnlyList<string> Examples, IReadOnlyList<string>? SuggestedReplies = null);

/// <summary>
/// The intents a tenant's drafts are classified into. Every workspace starts from the built-in catalogue of the
/// 27 customer-support intents; the agent configuration edits and versions its own copy.
/// </summary>
public sealed record IntentCatalogue(IReadOnlyList<IntentDefinition> Intents)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static IntentCatalogue Default { get; } = LoadDefault();

    public IntentDefinition? Find(string? name) =>
        name is null ? null : Intents.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    public IntentPolicy PolicyOf(string? name) => Find(name)?.Policy ?? IntentPolicy.AlwaysReview;

    /// <summary>Identifies the catalogue's content, so caches survive a new config version that left the intents alone.</summary>
    public string Fingerprint => _fingerprint ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        JsonSerializer.SerializeToUtf8Bytes(Intents, Json)));

    private string? _fingerprint;

    private static IntentCatalogue LoadDefault()
    {
        using var stream = typeof(IntentCatalogue).Assembly.GetManifestResourceStream("HitlConsole.Ai.default-intents.json")
            ?? throw new InvalidOperationException("The default intent catalogue is missing from the build.");
        return new IntentCatalogue(JsonSerializer.Deserialize<List<IntentDefinition>>(stream, Json)!);
    }
}
