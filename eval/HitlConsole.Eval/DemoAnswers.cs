extern alias app;
using HitlConsole.Features.Ai;

using System.Text.RegularExpressions;

namespace HitlConsole.Eval;

/// <summary>
/// Makes a Bitext answer fit to send once its values are filled in. Bitext answers mix three kinds of
/// <c>{{placeholder}}</c>: values a workspace knows (its phone number, website, live chat), values only the conversation
/// knows (the customer's order number), and names of menus, sections and buttons ({{Order History}}) that no workspace
/// variable will ever fill. Values are kept (spelled as the workspace variables and conversation facts are named);
/// labels become the plain label in quotes. Concrete order numbers written into answers (another customer's data) become
/// {{Order Number}}.
/// </summary>
public static partial class DemoAnswers
{
    /// <summary>Bitext's many spellings of the values a workspace configures, by the default variable that fills them.</summary>
    private static readonly Dictionary<string, string> Canonical = new[]
    {
        ("Customer Support Phone Number", new[] { "Support Phone Number", "Customer Service Phone Number", "Phone Number",
            "Customer Support Phone Number Anonymized", "Customer Assistance Phone Number", "Complaint Phone Number" }),
        ("Customer Support Email", new[] { "Customer Support Email Address", "Customer Service Email", "Customer Service Email Address",
            "Support Email", "Support Email Address", "Email", "Email Address", "Complaint Email Address", "Feedback Email Address", "Email Support" }),
        ("Customer Support Availability", new[] { "Customer Support Hours", "Customer Service Hours", "Customer Assistance Hours",
            "Operating Hours", "Support Team Availability", "Customer Support Availability Anonymized", "Business Hours" }),
        ("Website Name", new[] { "Website", "Website Name Anonymized", "Website or App", "Website/App Name", "Company Website", "Service Website" }),
        ("Website URL", Array.Empty<string>()),
        ("Live Chat", new[] { "Live Chat Anonymized", "Chat" }),
        ("Company Name", Array.Empty<string>()),
    }.SelectMany(c => c.Item2.Append(c.Item1).Select(alias => (Key: Placeholders.Key(alias), Name: c.Item1)))
     .ToDictionary(x => x.Key, x => x.Name);

    public static string Clean(string answer)
    {
        // A few answers write a value as a bracketed label ("call us at [Customer Support Phone Number]"): stored in braces,
        // the rewrite below maps it to the workspace's own names like the rest.
        answer = Placeholders.InBraces(answer);
        // "available 24/7", "around the clock": the dataset's shop never closes; a workspace says when it is open.
        answer = AlwaysOpenBeforeNoun().Replace(answer, "");
        answer = AlwaysOpen().Replace(answer, "{{Customer Support Availability}}");
        var text = Placeholder().Replace(answer, m => Rewrite(m, answer));
        text = ExampleEmail().Replace(text, "{{Customer Support Email}}");
        return LongNumber().Replace(text, "{{Order Number}}");
    }

    /// <summary>True for a placeholder that stays (a value); false for a label.</summary>
    public static bool IsValue(string name) =>
        Canonical.ContainsKey(Placeholders.Key(name)) || app::HitlConsole.Features.Ai.ConversationFacts.IsFactName(name) || char.IsLower(name[0]) || ValueWord().IsMatch(name);

    private static string Rewrite(Match m, string answer)
    {
        var name = m.Groups[1].Value.Trim();
        if (name.All(char.IsAsciiDigit)) return "{{Order Number}}"; // {{113542617735902}}: someone's order, not a name
        if (Canonical.TryGetValue(Placeholders.Key(name), out var canonical)) return "{{" + canonical + "}}";
        if (IsValue(name)) return m.Value;
        var quoted = m.Index > 0 && m.Index + m.Length < answer.Length && IsQuote(answer[m.Index - 1]) && IsQuote(answer[m.Index + m.Length]);
        return quoted || name.Contains('"') ? name : $"\"{name}\"";
    }

    private static bool IsQuote(char c) => c is '"' or '\'' or '“' or '”' or '«' or '»';

    // Words that name a value to look up or write (a time, a period, a percentage, an order number, a date…), not a button.
    [GeneratedRegex(@"(?i)\b(anonymized|time|timeframe|frame|period|days?|percentage|date|number|name|eta|\d+)\b")]
    private static partial Regex ValueWord();

    [GeneratedRegex(@"\{\{\s*([^{}\r\n]+?)\s*\}\}")]
    private static partial Regex Placeholder();

    // "our 24/7 live chat", "round-the-clock support": the claim goes, the channel stays.
    [GeneratedRegex(@"(?i)\b(?:24/7|a?round[- ]the[- ]clock)\s+(?=\{\{|(?:customer|support|live|chat|help|assistance|service|team|hotline|helpline)\b)")]
    private static partial Regex AlwaysOpenBeforeNoun();

    [GeneratedRegex(@"(?i)\b24/7\b|\ba?round[- ]the[- ]clock\b")]
    private static partial Regex AlwaysOpen();

    [GeneratedRegex(@"(?i)\b[\w.]+@company\.com\b")]
    private static partial Regex ExampleEmail();

    // Six or more digits outside a placeholder: an order, purchase or bill number copied from a real conversation.
    [GeneratedRegex(@"(?<![\d{])\d{6,}(?![\d}])")]
    private static partial Regex LongNumber();
}
