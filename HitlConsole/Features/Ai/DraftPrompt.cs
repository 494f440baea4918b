using System.Text;
using HitlConsole.Features.Knowledge.Search;
using Microsoft.Extensions.AI;

namespace HitlConsole.Features.Ai;

/// <summary>The chat messages for an LLM draft: configuration, retrieved knowledge, history, the message and the output contract.</summary>
public static class DraftPrompt
{
    public const string Contract = """
        Reply with one JSON object and nothing else:
        {"reply": string, "alternatives": [string, at most 3], "intent": string or null (one of the catalogue names),
         "classification": "answer" | "out_of_scope" | "escalation" | "smalltalk", "confidence": integer 0-100,
         "sources": [ids of the knowledge entries you used], "out_of_knowledge": boolean, "reasoning": short string}
        """;

    public static List<ChatMessage> Build(DraftRequest request, AgentSettings settings, IReadOnlyList<KnowledgeHit> hits)
    {
        var system = new StringBuilder();
        system.AppendLine(settings.Persona);
        system.AppendLine($"You are {settings.AssistantName}, answering customers of {settings.BusinessName} ({settings.BusinessDescription}). Tone: {settings.Tone}.");
        system.AppendLine(settings.ReplyLanguage == "customer"
            ? $"Write the reply in the customer's language (detected: {request.Language})."
            : $"Write the reply in the language with code '{settings.ReplyLanguage}'.");
        system.AppendLine();
        system.AppendLine("Grounding rules:");
        system.AppendLine(settings.GroundingInstructions);
        if (settings.StrictGrounding) system.AppendLine("Strict mode: do not use any knowledge outside the entries below.");
        system.AppendLine();
        system.AppendLine("Business boundaries:");
        system.AppendLine(settings.BusinessBoundaries);
        system.AppendLine();
        system.AppendLine("Intent catalogue (name: description):");
        foreach (var intent in settings.Intents.Intents) system.AppendLine($"- {intent.Name}: {intent.Description}");
        system.AppendLine();
        system.AppendLine("Knowledge entries (id, intent, question, answer):");
        foreach (var h in hits)
            system.AppendLine($"[{h.Id}] intent={h.Intent ?? "-"}\nQ: {h.Question}\nA: {h.Answer}\n");
        if (hits.Count == 0) system.AppendLine("(none matched)");
        system.AppendLine();
        system.AppendLine(Contract);

        var messages = new List<ChatMessage> { new(ChatRole.System, system.ToString()) };
        foreach (var turn in request.History)
            messages.Add(new ChatMessage(turn.FromCustomer ? ChatRole.User : ChatRole.Assistant, turn.Text));
        var user = request.Instruction is { Length: > 0 } instruction
            ? $"{request.CustomerText}\n\n(Reviewer instruction for this draft, not from the customer: {instruction})"
            : request.CustomerText;
        messages.Add(new ChatMessage(ChatRole.User, user));
        return messages;
    }
}
