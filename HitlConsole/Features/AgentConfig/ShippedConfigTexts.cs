using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.AgentConfig;

/// <summary>
/// The texts the app ships in a configuration (identity, grounding, tone presets, the catalogue's intent descriptions): stored
/// in English, as the instructions the model reads, and shown in the UI language (the way <see cref="Localization.ConfigTexts"/> shows the app's own version comments).
/// </summary>
public static class ShippedConfigTexts
{
    /// <summary>
    /// A field's value in the UI language. What the app ships — the tone presets, the default identity texts and grounding
    /// rules — is stored in English, as the instruction the model reads, and shown translated; an Admin's own text is shown as
    /// written. Editing a shipped text stores what the Admin typed.
    /// </summary>
    public static string Value(string path, string? value, IStringLocalizer l) =>
        value is not null && ShippedTexts.TryGetValue((Shared(path), value), out var key) ? l[key] : value ?? "";

    /// <summary>Whether <paramref name="value"/> is a text the app ships for <paramref name="path"/> (see <see cref="Value"/>).</summary>
    public static bool IsShipped(string path, string? value) => value is not null && ShippedTexts.ContainsKey((Shared(path), value));

    /// <summary>The comparison names an intent's description by the intent ("intents.complaint.description").</summary>
    private static string Shared(string path) =>
        path.StartsWith("intents.", StringComparison.Ordinal) && path.EndsWith(".description", StringComparison.Ordinal) ? IntentDescription : path;

    /// <summary>The path every intent's description shares here (the catalogue's descriptions differ from one another).</summary>
    public const string IntentDescription = "intents.description";

    private static readonly Dictionary<(string Path, string Value), string> ShippedTexts = BuildShippedTexts();

    private static Dictionary<(string, string), string> BuildShippedTexts()
    {
        var identity = new AgentConfigDocument.IdentitySection();
        var grounding = new AgentConfigDocument.GroundingSection();
        var texts = new Dictionary<(string, string), string>
        {
            [("identity.assistantName", identity.AssistantName)] = "ConfigShippedAssistantName",
            [("identity.businessDescription", identity.BusinessDescription)] = "ConfigShippedBusinessDescription",
            [("identity.persona", identity.Persona)] = "ConfigShippedPersona",
            [("grounding.instructions", grounding.Instructions)] = "ConfigShippedGroundingInstructions",
            [("grounding.boundaries", grounding.Boundaries)] = "ConfigShippedBoundaries",
        };
        for (var i = 0; i < AgentConfigDocument.TonePresets.Length; i++)
            texts[("identity.tone", AgentConfigDocument.TonePresets[i])] = $"ConfigTonePreset{i}";
        foreach (var intent in Domain.IntentCatalogue.Default.Intents)
            texts[(IntentDescription, intent.Description)] = $"ConfigShippedIntent_{intent.Name}";
        return texts;
    }
}
