using System.Text.RegularExpressions;

namespace HitlConsole.Features.Channels.Simulator;

/// <summary>
/// A simulated customer's number is kept the way WhatsApp keeps one: digits only (with the leading "+" if written), so
/// "+34 600 000 001" and "+34600000001" are one customer, not two. Anything that is not a phone number (a test name such
/// as "tester-1") is kept as written.
/// </summary>
public static partial class SimulatorAddress
{
    public static string Canonical(string address)
    {
        var trimmed = address.Trim();
        if (!PhoneLike().IsMatch(trimmed)) return trimmed;
        var digits = string.Concat(trimmed.Where(char.IsAsciiDigit));
        return digits.Length is < 6 or > 15 ? trimmed : (trimmed.StartsWith('+') ? "+" : "") + digits;
    }

    /// <summary>What to look for in stored numbers when someone types part of one ("655 12" → "65512"); other text as typed.</summary>
    public static string SearchForm(string text)
    {
        var trimmed = text.Trim();
        return PhoneLike().IsMatch(trimmed) ? string.Concat(trimmed.Where(char.IsAsciiDigit)) : trimmed;
    }

    /// <summary>
    /// A number typed with its "+" is the start of one ("+34" is Spain, not any number holding 34): its digits, to match at the
    /// start of a stored number (kept with or without its "+"); null for anything else.
    /// </summary>
    public static string? CountryPrefix(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith('+') && PhoneLike().IsMatch(trimmed) ? string.Concat(trimmed.Where(char.IsAsciiDigit)) : null;
    }

    // Digits with the separators people write between them; a lone "+" only at the start.
    [GeneratedRegex(@"^\+?[0-9][0-9 \-.()]*$")]
    private static partial Regex PhoneLike();
}
