using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using HitlConsole.Features.Account;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Features.Localization;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Localization;

public sealed class ValidationTextTests
{
    [Fact]
    public void No_input_model_keeps_the_framework_s_english_validation_message()
    {
        // Options are checked at startup by operators, in English; everything a person fills in is localised.
        var english = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("HitlConsole.Features", StringComparison.Ordinal) == true && !t.Name.EndsWith("Options", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .SelectMany(p => p.GetCustomAttributes<ValidationAttribute>().Where(a => a.ErrorMessageResourceType != typeof(ValidationText))
                    .Select(a => $"{t.FullName}.{p.Name} [{a.GetType().Name}]")))
            .ToList();
        Assert.True(english.Count == 0, "English framework messages: " + string.Join(", ", english));
    }

    [Fact]
    public void Data_annotation_and_identity_messages_follow_the_ui_language()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("es");
            var input = new ManageUsers.NewUser { Email = "no-es-correo", DisplayName = "", Password = "corta" };
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true);
            Assert.Equal(new[] { "Obligatorio.", "Escribe una dirección de correo válida.", "Al menos 10 caracteres." }.Order(),
                results.Select(r => r.ErrorMessage!).Order());
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task A_weak_password_is_refused_in_spanish_by_identity()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("es");
            using var scope = app.Services.CreateScope();
            var describer = scope.ServiceProvider.GetRequiredService<IdentityErrorDescriber>();
            Assert.IsType<LocalizedIdentityErrors>(describer);
            var validator = new PasswordValidator<HitlConsole.Domain.AppUser>(describer);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HitlConsole.Domain.AppUser>>();
            var result = await validator.ValidateAsync(users, new HitlConsole.Domain.AppUser(), "sindigitosX");
            Assert.Contains("La contraseña necesita un dígito (0–9).", result.Errors.Select(e => e.Description));
            Assert.DoesNotContain(result.Errors, e => e.Description.Contains("Passwords must", StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
