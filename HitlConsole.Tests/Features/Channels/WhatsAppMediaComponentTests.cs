using Bunit;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>The media element of a bubble: thumbnail that opens full size, player, document with name and size, map link, or why not.</summary>
public sealed class WhatsAppMediaComponentTests : BunitHost
{
    private static GetConversation.Bubble In(string type, GetConversation.MediaView? media, string? text = null, string? caption = null) =>
        new(Guid.NewGuid(), MessageDirection.Inbound, MessageAuthor.Customer, text, type, caption, DeliveryState.None, null, null,
            new DateTime(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc), Media: media);

    [Theory]
    [InlineData("en", "Downloading the file", "larger than this workspace keeps")]
    [InlineData("es", "Descargando el archivo", "supera el tamaño")]
    public void Each_kind_of_media_renders_in_its_bubble(string culture, string pending, string tooLarge)
    {
        UseCulture(culture);
        var image = In("image", new(MediaState.Stored, "image/jpeg", 3000, null), caption: "caja rota");
        var cut = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.Bubbles,
        [
            image,
            In("audio", new(MediaState.Stored, "audio/ogg", 20_000, null)),
            In("document", new(MediaState.Stored, "application/pdf", 2_621_440, "factura.pdf"), caption: "factura.pdf"),
            In("video", new(MediaState.Pending, null, null, null)),
            In("document", new(MediaState.TooLarge, null, null, null)),
            In("location", null, text: "40.4168,-3.7038", caption: "Tienda"),
        ]));

        var media = cut.FindAll("[data-testid=message-media]");
        Assert.Equal(6, media.Count);
        Assert.Equal($"/media/{image.Id}", media[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal($"/media/{image.Id}", media[0].QuerySelector("img")!.GetAttribute("src"));
        Assert.NotNull(media[1].QuerySelector("audio[controls]"));
        Assert.Contains("factura.pdf", media[2].TextContent);
        Assert.Contains("2" + (culture == "es" ? "," : ".") + "5 MB", media[2].TextContent);
        Assert.Contains(pending, media[3].TextContent);
        Assert.Contains(tooLarge, media[4].TextContent);
        Assert.Contains("mlat=40.4168&mlon=-3.7038", media[5].GetAttribute("href"));
        Assert.Contains("40.4168", media[5].TextContent);
    }
}
