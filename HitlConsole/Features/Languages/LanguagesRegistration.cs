namespace HitlConsole.Features.Languages;

public static class LanguagesRegistration
{
    public static WebApplicationBuilder AddLanguages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TextLanguage>();
        return builder;
    }
}
