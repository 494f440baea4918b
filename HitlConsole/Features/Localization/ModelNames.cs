using HitlConsole.Features.Ai;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Localization;

/// <summary>
/// The model a draft names, in the reader's language: the built-in models are stored by a fixed English name (drafts keep
/// it), an external model by its own name, shown as written.
/// </summary>
public static class ModelNames
{
    public static string Display(string? model, IStringLocalizer l) => model switch
    {
        null or "" => "—",
        BuiltInModel.ModelName => l["DraftModelBuiltIn"],
        SmallTalk.ModelName => l["DraftModelSmallTalk"],
        _ => model,
    };
}
