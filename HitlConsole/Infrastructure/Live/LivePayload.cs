using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HitlConsole.Infrastructure.Live;

/// <summary>
/// What a <see cref="LiveEvent"/> carries beyond ids: a typed record declared by the feature that publishes it
/// (<c>ImportProgress</c>, <c>PresenceNote</c>, <see cref="GuardrailAlert"/>), read by subscribers with a type pattern.
/// </summary>
public abstract record LivePayload;

/// <summary>
/// Live events as JSON for other instances (<see cref="PostgresLiveBridge"/>): a payload travels with its type's name, so
/// every payload record in this assembly round-trips without a list to keep up to date.
/// </summary>
public static class LiveEventJson
{
    public const string PayloadType = "$payload";

    private static readonly Type[] PayloadTypes = typeof(LivePayload).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LivePayload)) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    public static JsonSerializerOptions Options { get; } = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddPayloadTypes } },
    };

    private static void AddPayloadTypes(JsonTypeInfo info)
    {
        if (info.Type != typeof(LivePayload)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = PayloadType };
        foreach (var type in PayloadTypes) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
    }
}
