using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// A customer who asks in so many words to speak to a person ("I would like to speak to a proper person", "pásame con alguien
/// del equipo"), wherever in a long message they say it. Read whole, "Good evening, my name is Peter and I'm 72. I don't like
/// talking to machines. I would like to speak to a proper person about my order" was drafted as placing an order (28): the
/// story's words outweighed the one sentence that mattered.
/// </summary>
public static partial class PersonRequest
{
    /// <summary>The intent such a request names, when the workspace's catalogue has it.</summary>
    public const string Intent = "contact_human_agent";

    public static bool IsIn(string text)
    {
        var folded = TextAnalysis.Fold(text);
        foreach (Match m in Asks().Matches(folded))
        {
            // "I don't want to talk to a person", "no quiero hablar con nadie": not a request.
            var before = folded[..m.Index].TrimEnd() + " ";
            if (!Negated().IsMatch(before)) return true;
        }
        return false;
    }

    // On folded text.
    [GeneratedRegex(@"\b(?:(?:speak|talk|chat)(?:ing)? (?:to|with) (?:a |an |some )?(?:real |proper |actual |live )?(?:person|human|human being|agent|advisor|adviser|representative|member of (?:staff|your team))\b"
        + @"|(?:put|pass|transfer|connect) me (?:through )?(?:to|with) (?:a |an |someone|somebody|a real|a live|an actual|a member)"
        + @"|hablar con (?:una persona|un humano|alguien de verdad|alguien real|alguien del equipo|un agente|un asesor|una asesora|un operador|una operadora)"
        + @"|(?:pasame|pasa me|comunicame|me pasas|me pasan|me comunican|me comunicas) con (?:una persona|un humano|alguien|un agente|un asesor|un operador)"
        + @"|que me atienda (?:una persona|alguien|un humano|un agente|un asesor))")]
    private static partial Regex Asks();

    [GeneratedRegex(@"(?:\b(?:don t|dont|do not|no|not|never|nunca) (?:\w+ ){0,3}|\bno quiero (?:\w+ ){0,2})$")]
    private static partial Regex Negated();
}
