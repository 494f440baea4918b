using HitlConsole.Features.Pipeline;
using Microsoft.AspNetCore.Components.Server.Circuits;

using HitlConsole.Features.Inbox.Teams;

namespace HitlConsole.Features.Inbox;

public static class InboxRegistration
{
    public static WebApplicationBuilder AddInbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ClientTimeoutInterval >= 2 * o.KeepAliveInterval,
                "Review:ClientTimeoutInterval must be at least twice Review:KeepAliveInterval.")
            .ValidateOnStart();
        services.AddScoped<GetInbox>();
        services.AddScoped<GetConversation>();
        services.AddScoped<GetInboxAlerts>();
        services.AddScoped<WaitingBadge>();
        services.AddScoped<UpdateConversation>();
        services.AddScoped<TeamMembers>();
        services.AddScoped<AssignConversation>();
        services.AddScoped<AddNote>();
        services.AddScoped<MyMentions>();
        services.AddScoped<ManageSavedReplies>();
        services.AddScoped<GetSavedReplies>();
        services.AddScoped<GetReplyPlaceholders>();
        services.AddScoped<GetContactPanel>();
        services.AddScoped<ConversationPanes>();
        services.AddScoped<LabelConversation>();
        services.AddScoped<ReviewDraft>();
        services.AddScoped<HitlConsole.Features.Inbox.Attachments.AttachFile>();
        services.AddTransient<HitlConsole.Features.Inbox.Attachments.PurgeUnsentAttachments>();
        services.AddTransient<HitlConsole.Features.Inbox.Attachments.PurgeUnsentAttachmentsJob>();
        services.AddScoped<DraftLeases>();
        services.AddScoped<ReviewCircuit>();
        services.AddOptions<TeamOptions>().BindConfiguration(TeamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ManageTeams>();
        services.AddScoped<SetAgentStatus>();
        services.AddSingleton<ActiveConsoles>();
        services.AddHostedService<IdleAwaySweeper>();
        services.AddScoped<CircuitHandler, ReviewCircuitHandler>();
        services.AddTransient<AutoSendDraftJob>();
        services.AddTransient<IAutoSendDraftJob, AutoSendDraftJob>();
        return builder;
    }
}
