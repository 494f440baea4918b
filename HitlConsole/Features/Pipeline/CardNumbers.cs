using System.Text.RegularExpressions;

namespace HitlConsole.Features.Pipeline;

/// <summary>
/// Payment card numbers a customer writes into a chat are masked before the message is stored, shown or read by a model: a
/// full card number must not be kept (PCI DSS), and a draft or an agent never needs more than its last four digits.
/// "4111 1111 1111 1111" becomes "•••• •••• •••• 1111". A number counts as a card when it has 13–19 digits (single spaces or
/// dashes between groups allowed), starts as a card brand's numbers do and passes the Luhn check, so order and tracking
/// numbers ("113542617735902") stay as written.
/// </summary>
public static partial class CardNumbers
{
    /// <summary>What replaces all but the last four digits.</summary>
    public const string Masked = "•••• •••• •••• ";

    [GeneratedRegex(@"(?<![0-9])(?:[0-9][ \-]?){12,18}[0-9](?![0-9])")]
    private static partial Regex Candidate();

    public static string? Mask(string? text)
    {
        if (text is null || text.Count(char.IsAsciiDigit) < 13) return text;
        return Candidate().Replace(text, m =>
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            return IsCard(digits) ? Masked + digits[^4..] : m.Value;
        });
    }

    public static bool IsCard(string digits) => digits.Length is >= 13 and <= 19 && digits.All(char.IsAsciiDigit) && BrandLike(digits) && Luhn(digits);

    /// <summary>Visa, Mastercard, American Express, Diners, JCB, Discover, UnionPay and Maestro ranges, read loosely.</summary>
    private static bool BrandLike(string d) => d[0] switch
    {
        '4' or '6' => true,
        '5' => d[1] is >= '0' and <= '5',
        '2' => int.Parse(d[..4], System.Globalization.CultureInfo.InvariantCulture) is >= 2221 and <= 2720,
        '3' => d[1] is '0' or '4' or '5' or '6' or '7' or '8',
        _ => false,
    };

    private static bool Luhn(string d)
    {
        var sum = 0;
        for (var i = 0; i < d.Length; i++)
        {
            var n = d[d.Length - 1 - i] - '0';
            if (i % 2 == 1 && (n *= 2) > 9) n -= 9;
            sum += n;
        }
        return sum % 10 == 0;
    }
}
