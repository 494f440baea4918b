using Bunit;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Inbox.Attachments;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>The reply's attachment picker against a real app: refusals in the UI language, a kept file that can be removed,
/// and an upload's failed attempt told apart from a send's.</summary>
public sealed class AttachmentComponentTests : BunitHost
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 9, 9, 9, 9];

    private async Task<HitlAppFactory> AppAsync()
    {
        var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        Ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        return app;
    }

    [Theory]
    [InlineData("en", "This file type cannot be sent on WhatsApp", "The file is too large: the limit for this type is 5 MB.")]
    [InlineData("es", "Este tipo de archivo no se puede enviar por WhatsApp", "El archivo es demasiado grande: el límite para este tipo es 5 MB.")]
    public async Task The_picker_refuses_what_whatsapp_would_refuse_in_the_ui_language_and_keeps_an_image_until_removed(
        string culture, string wrongType, string tooLarge)
    {
        UseCulture(culture);
        await using var app = await AppAsync();
        AttachFile.Attachment? value = null;
        var cut = Render<AttachmentPicker>(p => p.Add(x => x.StorageKey, "draft.test").Add(x => x.Value, value)
            .Add(x => x.ValueChanged, (AttachFile.Attachment? a) => value = a));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([1, 2, 3], "setup.exe"));
        cut.WaitForAssertion(() => Assert.Contains(wrongType, cut.Find("[data-testid=reply-attach-error]").TextContent));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[5 * 1024 * 1024 + 1], "huge.png"));
        cut.WaitForAssertion(() => Assert.Equal(tooLarge, cut.Find("[data-testid=reply-attach-error]").TextContent.Trim()));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal(0, await db.MediaFiles.IgnoreQueryFilters().CountAsync()); // nothing read, nothing kept

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Png, "parcel.png"));
        cut.WaitForAssertion(() => Assert.Equal(("parcel.png", "image"), (value?.FileName, value?.Kind)));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal(Png, (await db.MediaFiles.IgnoreQueryFilters().SingleAsync(f => f.Id == value!.FileId)).Content);

        cut.Render(p => p.Add(x => x.Value, value));
        Assert.Contains("parcel.png", cut.Find("[data-testid=reply-attachment]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=reply-attach-error]"));
        cut.Find("[data-testid=reply-attachment-remove]").Click();
        cut.WaitForAssertion(() => Assert.Null(value));
    }

    [Fact]
    public void A_failed_upload_attempt_says_the_file_did_not_go_up_in_spanish()
    {
        UseCulture("es");
        var at = new DateTime(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc);
        var bubble = new GetConversation.Bubble(Guid.NewGuid(), MessageDirection.Outbound, MessageAuthor.Agent, "Su factura", "document", null,
            DeliveryState.Sent, null, null, at, Attempts:
            [
                new(1, at, false, "131000", "Something went wrong", at.AddSeconds(2), "upload"),
                new(2, at.AddSeconds(2), true, null, null, null, "send"),
            ], Media: new(MediaState.Stored, "application/pdf", 2048, "factura.pdf"));
        var cut = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.Bubbles, [bubble]));

        var attempts = cut.FindAll("[data-testid=message-attempt]");
        Assert.Equal(2, attempts.Count);
        Assert.Contains("falló la subida del archivo", attempts[0].TextContent);
        Assert.Contains("aceptado por WhatsApp", attempts[1].TextContent);
        Assert.Contains("factura.pdf", cut.Find("[data-testid=message-media]").TextContent);
    }
}
