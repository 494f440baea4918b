namespace HitlConsole.Features.Pipeline;

/// <summary>The draft of a photo, voice note, video or document sent without a word: a neutral question, in the customer's language.</summary>
public static class MediaReplies
{
    private static readonly Dictionary<string, string> Ask = new()
    {
        ["en"] = "Thank you, we have received your file. What can we help you with?",
        ["es"] = "Gracias, hemos recibido tu archivo. ¿En qué podemos ayudarte?",
    };

    public static string AskWhatTheyNeed(string language) => Ask.GetValueOrDefault(language) ?? Ask["en"];
}
