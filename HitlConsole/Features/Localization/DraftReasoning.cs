using System.Globalization;
using System.Text.RegularExpressions;
using HitlConsole.Features.Localization;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// The draft's reasoning line in the UI language. The built-in model writes its reasoning in a fixed form (stored that
/// way on every draft it made); it is recognised and written again in words. An external model's own reasoning is its
/// text and is shown as written.
/// </summary>
public static partial class DraftReasoning
{
    public static string? Text(string? reasoning, IStringLocalizer l)
    {
        if (string.IsNullOrWhiteSpace(reasoning)) return reasoning;
        // Outermost first, as the model router and the built-in model append them.
        if (AfterFallback().Match(reasoning) is { Success: true } f)
            return l["ReasoningAfterFallback", Text(f.Groups[1].Value, l) ?? "", f.Groups[2].Value];
        // The question the answer leaves out has its own notice above the draft (DraftStateNotice).
        if (AlsoAsks().Match(reasoning) is { Success: true } a) return Text(a.Groups[1].Value, l);
        if (Mixed().Match(reasoning) is { Success: true } m)
            return l["ReasoningMixedLanguages", Text(m.Groups[1].Value, l) ?? ""];
        if (OthersDetails().Match(reasoning) is { Success: true } d)
            return l["ReasoningOthersDetails", Text(d.Groups[1].Value, l) ?? "", d.Groups[2].Value];
        if (SmallTalkKind().Match(reasoning) is { Success: true } t)
            return l["ReasoningSmallTalk", l["SmallTalk_" + t.Groups[1].Value]];
        if (OutOfKnowledge().Match(reasoning) is { Success: true } o)
            return l["ReasoningOutOfKnowledge", Number(o.Groups[1].Value, "0.00")];
        if (SameQuestion().Match(reasoning) is { Success: true } q)
            return l["ReasoningSameQuestion", Number(q.Groups[1].Value, "0.00")];
        if (Intent().Match(reasoning) is { Success: true } i)
            return l.Plural("ReasoningIntent", IntentNames.Intent(i.Groups[1].Value, l), Number(i.Groups[2].Value, "0.000"), Number(i.Groups[3].Value, "0.000"),
                Number(i.Groups[4].Value, "0.00"), int.Parse(i.Groups[5].Value, CultureInfo.InvariantCulture));
        return reasoning;
    }

    /// <summary>The customer's questions the draft's answer leaves out, as the built-in model named them; null when none.</summary>
    public static string? AlsoAsked(string? reasoning)
    {
        if (reasoning is null) return null;
        if (AfterFallback().Match(reasoning) is { Success: true } f) reasoning = f.Groups[1].Value;
        return AlsoAsks().Match(reasoning) is { Success: true } a ? a.Groups[2].Value : null;
    }

    private static string Number(string invariant, string format) =>
        double.Parse(invariant.Replace(',', '.'), CultureInfo.InvariantCulture).ToString(format, CultureInfo.CurrentCulture);

    [GeneratedRegex(@"^(.*) \(after fallback: (.*)\)$", RegexOptions.Singleline)] private static partial Regex AfterFallback();
    [GeneratedRegex(@"^(.*) \(the message also asks: (.*)\)$", RegexOptions.Singleline)] private static partial Regex AlsoAsks();
    [GeneratedRegex(@"^(.*) \(the message mixes English and Spanish\)$", RegexOptions.Singleline)] private static partial Regex Mixed();
    [GeneratedRegex(@"^(.*) \(the answer names what the customer did not say: (.*)\)$", RegexOptions.Singleline)] private static partial Regex OthersDetails();
    [GeneratedRegex(@"^Small talk: (greeting|thanks|acknowledgement|farewell|identity)\.$")] private static partial Regex SmallTalkKind();
    [GeneratedRegex(@"^Nothing in the knowledge base is close to the message \(best similarity (-?[\d.,]+)\)\.$")] private static partial Regex OutOfKnowledge();
    [GeneratedRegex(@"^A knowledge entry asks the same question \(similarity (-?[\d.,]+)\)\.$")] private static partial Regex SameQuestion();
    [GeneratedRegex(@"^Intent (\S+) scored (-?[\d.,]+) against (-?[\d.,]+) for the runner-up; closest match similarity (-?[\d.,]+); (\d+) matching entries retrieved\.$")]
    private static partial Regex Intent();
}
