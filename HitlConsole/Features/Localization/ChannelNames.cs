using HitlConsole.Domain;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// A channel as the UI names it. A channel still called by its kind (the name the app gives it when it creates one —
/// "Simulator", or the code name "WhatsAppCloud") is named by its kind in the UI language; a name an Admin chose is theirs.
/// </summary>
public static class ChannelNames
{
    public static string Kind(ChannelKind kind, IStringLocalizer l) => kind switch
    {
        ChannelKind.Simulator => l["ChannelSimulator"],
        _ => l["ChannelKindWhatsApp"],
    };

    public static string Display(ChannelKind kind, string? name, IStringLocalizer l) =>
        string.IsNullOrWhiteSpace(name) || name == kind.ToString() || name == DefaultName(kind) ? Kind(kind, l) : name;

    /// <summary>The name the app writes when it creates a channel of this kind (stored in this fixed form).</summary>
    public static string DefaultName(ChannelKind kind) => kind == ChannelKind.Simulator ? "Simulator" : "WhatsApp";
}
