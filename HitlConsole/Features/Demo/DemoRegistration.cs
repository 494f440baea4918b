using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Demo;

public static class DemoRegistration
{
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DemoOptions>, ValidateDemoOptions>();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<Account.ISignInHints, DemoSignInHints>();
        return builder;
    }
}
