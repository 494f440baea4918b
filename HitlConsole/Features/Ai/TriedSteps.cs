using System.Text.RegularExpressions;
using HitlConsole.Features.Languages;

namespace HitlConsole.Features.Ai;

/// <summary>
/// The self-help steps a customer says they already took ("ya cambié la contraseña con el link", "nothing, not even in spam",
/// "I cleared the cache"), and whether an answer tells them to take one again ("revisa la carpeta de spam", "click Forgot
/// password"). Such an answer reads as not having listened: one that does not repeat the step comes first, and one that does
/// waits for a person instead of sending itself. So does an answer that thanks for a step this customer never mentioned.
/// </summary>
public static partial class TriedSteps
{
    /// <summary>One step: how a customer says it is done, and how an answer tells them to do it (both on folded text).</summary>
    private sealed record Step(Regex Done, Regex Told);

    private static readonly Step[] Steps =
    [
        // The spam folder: "checked spam", "ni en correo no deseado", "not in junk either", "revisé spam".
        new(SpamDone(), SpamTold()),
        // The reset link: "ya cambié la contraseña con el link", "I already used the reset link", "pedí tres veces el enlace".
        new(ResetDone(), ResetTold()),
        // The browser: "I cleared the cache", "borré las cookies", "probé con otro navegador".
        new(BrowserDone(), BrowserTold()),
    ];

    /// <summary>The customer's message read once, for many answers: the steps they took and those they did not mention.</summary>
    public sealed class Reading
    {
        private readonly Step[] _done, _notDone;

        internal Reading(string customerText)
        {
            var said = TextAnalysis.Fold(customerText);
            _done = [.. Steps.Where(s => s.Done.IsMatch(said))];
            _notDone = [.. Steps.Except(_done)];
        }

        /// <summary>Whether the answer tells the customer again to take a step they took.</summary>
        public bool Repeats(string answer)
        {
            if (_done.Length == 0) return false;
            var told = TextAnalysis.Fold(answer);
            return _done.Any(s => s.Told.IsMatch(told));
        }

        /// <summary>
        /// Whether the entry was written for a customer who took a step this one did not mention, and its answer thanks them for
        /// it ("Gracias por mirar ya en spam"): sent here, it thanks them for what they never said. An answer that does not rely
        /// on the step ("we'll send the confirmation again") fits either customer.
        /// </summary>
        public bool Presumes(string question, string answer)
        {
            if (_notDone.Length == 0 || !ThanksForTrying().IsMatch(TextAnalysis.Fold(answer))) return false;
            var asked = TextAnalysis.Fold(question);
            return _notDone.Any(s => s.Done.IsMatch(asked));
        }
    }

    public static Reading Read(string customerText) => new(customerText);

    public static bool Repeats(string customerText, string answer) => Read(customerText).Repeats(answer);

    public static bool Presumes(string customerText, string question, string answer) => Read(customerText).Presumes(question, answer);

    [GeneratedRegex(@"\b(?:gracias\s+por|thanks\s+for|thank\s+you\s+for)\s+(?:\w+\s+){0,2}(?:mirar|revisar|comprobar|probar|intentar|checking|looking|trying|haber)\b")]
    private static partial Regex ThanksForTrying();

    private const string Spam = @"(?:spam|junk|correo\s+no\s+deseado|no\s+deseados?|promociones|promotions)";

    [GeneratedRegex(@"\b(?:(?:checked|looked\s+in|looked\s+at|searched|tried|went\s+through|revise|revisado|mire|mirado|busque|buscado|chequee|ya\s+vi)\b(?:\s+\w+){0,3}\s+" + Spam +
        @"|(?:not|nothing)\s+(?:\w+\s+){0,3}(?:in|on)\s+(?:the\s+|my\s+)?" + Spam + @"|\b(?:ni|tampoco)\s+(?:\w+\s+){0,2}(?:en\s+)?(?:el\s+|la\s+|los\s+)?(?:carpeta\s+de\s+)?" + Spam +
        @"|" + Spam + @"\s+(?:too|also|as\s+well|either|tambien|tampoco))")]
    private static partial Regex SpamDone();

    [GeneratedRegex(@"\b(?:check|look\s+in|search|revisa|revise|mira|mire|busca|busque|comprueba|compruebe|chequea|echa\s+un\s+vistazo\s+a)\b(?:\s+\w+){0,4}\s+" + Spam)]
    private static partial Regex SpamTold();

    [GeneratedRegex(@"\b(?:(?:already|ya)\s+(?:\w+\s+){0,4}(?:link|enlace|reset|restablec\w*|cambie\s+la\s+contrasena|changed\s+(?:my|the)\s+password)" +
        @"|(?:used|clicked|requested|asked\s+for|tried)\s+(?:\w+\s+){0,2}(?:reset\s+)?(?:link|enlace)|(?:pedi|solicite|use|usado|probe)\s+(?:\w+\s+){0,3}(?:link|enlace))")]
    private static partial Regex ResetDone();

    [GeneratedRegex(@"\b(?:forgot\s+(?:your\s+)?password|forgotten\s+(?:your\s+)?password|olvidaste\s+(?:tu\s+)?contrasena|olvido\s+(?:su\s+)?contrasena" +
        @"|(?:click|use|follow|open|pulsa|haz\s+clic|usa|abre|sigue)\s+(?:\w+\s+){0,3}(?:reset\s+)?(?:link|enlace)|request\s+a\s+(?:new\s+)?(?:reset|link)|pide\s+(?:un\s+)?(?:nuevo\s+)?enlace)")]
    private static partial Regex ResetTold();

    [GeneratedRegex(@"\b(?:(?:cleared|deleted|borre|limpie|vacie)\s+(?:\w+\s+){0,2}(?:cache|cookies|historial|history)|(?:tried|used|probe|use|intente)\s+(?:\w+\s+){0,3}(?:another|other|different|otro|otra)\s+(?:browser|navegador|device|dispositivo|movil|phone))")]
    private static partial Regex BrowserDone();

    [GeneratedRegex(@"\b(?:clear(?:ing)?|delet(?:e|ing)|borra|borre|limpia|limpie|vacia)\s+(?:\w+\s+){0,3}(?:cache|cookies)|(?:another|other|different|otro)\s+(?:browser|navegador)")]
    private static partial Regex BrowserTold();
}
