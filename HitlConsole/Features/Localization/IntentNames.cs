using System.Collections;
using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// Intents and knowledge categories are codes ("track_order", "SHIPPING_ADDRESS"): stable for filters, exports and the model.
/// People read a name: the UI language's name where the resources know the code (the 27 support intents and their
/// categories), otherwise the code made readable ("track_order" → "Track order"). Filters and exports keep the code.
/// </summary>
public static class IntentNames
{
    public static string Intent(string? code, IStringLocalizer l) => Name("Intent_", code, l);

    public static string Category(string? code, IStringLocalizer l) => Name("Category_", code, l);

    /// <summary>A draft's intent as its chip names it: the intent, or what a greeting or thanks is rather than "no intent".</summary>
    public static string OfDraft(string? intent, string? classification, IStringLocalizer l) => intent is not null ? Intent(intent, l)
        // The kinds' constants, not SmallTalk.Kinds: a constant is copied in, a field would make Localization depend on Ai (a cycle).
        : classification is Ai.SmallTalk.Greeting or Ai.SmallTalk.Thanks or Ai.SmallTalk.Acknowledgement or Ai.SmallTalk.Farewell or Ai.SmallTalk.Identity
            ? UiFormat.Capital(l["SmallTalk_" + classification])!
            : l["DraftNoIntent"];

    private static string Name(string prefix, string? code, IStringLocalizer l)
    {
        if (string.IsNullOrWhiteSpace(code)) return "—";
        var known = l[prefix + code];
        return known.ResourceNotFound ? Readable(code) : known.Value;
    }

    /// <summary>
    /// The code of a known intent written by its name in either UI language ("Problema con el pago", "payment issue" →
    /// payment_issue), ignoring case, accents and punctuation; any other text as written. An import whose intent column was copied from
    /// the knowledge grid would otherwise store names that no draft classifies into.
    /// </summary>
    public static string? IntentCodeOf(string? text) => CodeOf(IntentCodes.Value, text);

    /// <summary>
    /// The same among a workspace's <paramref name="intents"/>: one of them written by its code in any case ("TRACK_ORDER"),
    /// by its name in either UI language, or, for an intent of the workspace's own, by its readable code ("Gift cards");
    /// any other text, and a known intent the workspace does not have, as written.
    /// </summary>
    public static string? IntentCodeOf(string? text, IReadOnlyCollection<string> intents)
    {
        if (string.IsNullOrWhiteSpace(text)) return text;
        var folded = Languages.TextAnalysis.Fold(text);
        return intents.FirstOrDefault(code => Languages.TextAnalysis.Fold(code) == folded)
            ?? (IntentCodeOf(text) is { } code && intents.Contains(code) ? code : null)
            ?? text;
    }

    /// <summary>The same for knowledge categories ("Pagos" → PAYMENT).</summary>
    public static string? CategoryCodeOf(string? text) => CodeOf(CategoryCodes.Value, text);

    /// <summary>What an autocomplete offers for <paramref name="typed"/>: a code found by itself or by its shown name, case and accents aside.</summary>
    public static bool Offers(string code, string name, string? typed) =>
        string.IsNullOrWhiteSpace(typed) || Contains(code, typed) || Contains(name, typed);

    private static bool Contains(string text, string part) =>
        CultureInfo.InvariantCulture.CompareInfo.IndexOf(text, part.Trim(), CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0;

    /// <summary>The category each of the 27 support intents is filed under in the Bitext dataset; null for any other intent.</summary>
    public static string? CategoryOfIntent(string? intent) =>
        intent is null ? null : SupportIntentCategories.GetValueOrDefault(intent.Trim().ToLowerInvariant());

    private static readonly Dictionary<string, string> SupportIntentCategories = new(StringComparer.Ordinal)
    {
        ["cancel_order"] = "ORDER", ["change_order"] = "ORDER", ["place_order"] = "ORDER", ["track_order"] = "ORDER",
        ["change_shipping_address"] = "SHIPPING_ADDRESS", ["set_up_shipping_address"] = "SHIPPING_ADDRESS",
        ["check_cancellation_fee"] = "CANCELLATION_FEE",
        ["contact_customer_service"] = "CONTACT", ["contact_human_agent"] = "CONTACT",
        ["delivery_options"] = "DELIVERY", ["delivery_period"] = "DELIVERY",
        ["complaint"] = "FEEDBACK", ["review"] = "FEEDBACK",
        ["check_invoice"] = "INVOICE", ["get_invoice"] = "INVOICE",
        ["newsletter_subscription"] = "NEWSLETTER",
        ["check_payment_methods"] = "PAYMENT", ["payment_issue"] = "PAYMENT",
        ["check_refund_policy"] = "REFUND", ["get_refund"] = "REFUND", ["track_refund"] = "REFUND",
        ["create_account"] = "ACCOUNT", ["delete_account"] = "ACCOUNT", ["edit_account"] = "ACCOUNT", ["recover_password"] = "ACCOUNT",
        ["registration_problems"] = "ACCOUNT", ["switch_account"] = "ACCOUNT",
    };

    /// <summary>The categories the resources name (those of the 27 support intents), by code.</summary>
    public static IReadOnlyList<string> KnownCategories => KnownCategoryCodes.Value;


    private static string? CodeOf(IReadOnlyDictionary<string, string> codes, string? text) =>
        string.IsNullOrWhiteSpace(text) ? text : codes.GetValueOrDefault(Languages.TextAnalysis.Fold(text)) ?? text;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> IntentCodes = new(() => NamesOf("Intent_"));
    private static readonly Lazy<IReadOnlyDictionary<string, string>> CategoryCodes = new(() => NamesOf("Category_"));
    private static readonly Lazy<IReadOnlyList<string>> KnownCategoryCodes =
        new(() => [.. CategoryCodes.Value.Values.Distinct().Order(StringComparer.Ordinal)]);

    /// <summary>Every language's name of every code with the prefix, folded, to its code (a background import has no UI culture).</summary>
    private static Dictionary<string, string> NamesOf(string prefix)
    {
        var resources = new ResourceManager("HitlConsole.Resources.SharedResource", typeof(SharedResource).Assembly);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("es") })
            if (resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is { } set)
                foreach (DictionaryEntry entry in set)
                    if (entry.Key is string key && key.StartsWith(prefix, StringComparison.Ordinal) && entry.Value is string name)
                        codes.TryAdd(Languages.TextAnalysis.Fold(name), key[prefix.Length..]);
        return codes;
    }

    public static string Readable(string code)
    {
        var words = code.Replace('_', ' ').Replace('-', ' ').Trim().ToLowerInvariant();
        return words.Length == 0 ? code : char.ToUpper(words[0], CultureInfo.CurrentCulture) + words[1..];
    }
}
