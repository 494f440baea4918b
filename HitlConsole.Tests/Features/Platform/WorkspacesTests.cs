using System.Net;
using System.Net.Http.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Admin.Users;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Pipeline;
using HitlConsole.Features.Platform;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>The platform operator creates and runs workspaces; limits and suspension hold where the work happens.</summary>
public sealed class WorkspacesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<(HitlAppFactory App, PlatformActor Operator)> ArrangeAsync(DatabaseProvider provider)
    {
        var app = await HitlAppFactory.CreateAsync(provider);
        var demo = await app.Services.DemoTenantIdAsync();
        return (app, new PlatformActor(await app.Services.UserIdAsync(demo, DemoUsers.Admin), DemoUsers.Admin));
    }

    private static ManageWorkspaces Manage(HitlAppFactory app) => app.Services.GetRequiredService<ManageWorkspaces>();

    private static async Task<Guid> CreateAsync(HitlAppFactory app, PlatformActor actor, string name, string adminEmail, string? expectPassword = "new")
    {
        var result = await Manage(app).CreateAsync(new ManageWorkspaces.NewWorkspace
        {
            Name = name, Culture = "es", TimeZone = "Europe/Madrid", AdminEmail = adminEmail, AdminName = "Ana Admin",
        }, actor, default);
        var created = Assert.IsType<ManageWorkspaces.Result.Created>(result);
        if (expectPassword is null) Assert.Null(created.InitialPassword);
        else Assert.NotNull(created.InitialPassword);
        return created.WorkspaceId;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_workspaces_first_admin_must_replace_the_initial_password_and_then_works_there(DatabaseProvider provider)
    {
        var (app, actor) = await ArrangeAsync(provider);
        await using var _ = app;
        var result = (ManageWorkspaces.Result.Created)await Manage(app).CreateAsync(new ManageWorkspaces.NewWorkspace
        {
            Name = "Tienda Norte", Culture = "es", TimeZone = "Europe/Madrid", AdminEmail = "ana@norte.test", AdminName = "Ana",
        }, actor, default);
        Assert.Matches("^[A-Za-z0-9]{16}$", result.InitialPassword!);

        var client = await FormPoster.SignedInClientAsync(app, "ana@norte.test", result.InitialPassword!);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/password", home.RedirectPath());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/sandbox/draft", JsonContent.Create(new { text = "hola" }))).StatusCode);

        var wrong = await client.PostFormAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["Input.Current"] = "not-it-2026X", ["Input.New"] = "AnaOwnPass2026", ["Input.Confirm"] = "AnaOwnPass2026",
        }, acceptLanguage: "es");
        Assert.Contains("La contraseña actual no es correcta.", await wrong.ReadPageAsync());

        var changed = await client.PostFormAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["Input.Current"] = result.InitialPassword!, ["Input.New"] = "AnaOwnPass2026", ["Input.Confirm"] = "AnaOwnPass2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var page = await client.GetPageAsync("/");
        Assert.Contains("Tienda Norte", page);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);

        // The initial password is spent.
        var again = await app.CreateBrowserLikeClient().SignInAsync("ana@norte.test", result.InitialPassword!);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_existing_account_becomes_admin_of_a_new_workspace_and_switches_between_its_two(DatabaseProvider provider)
    {
        var (app, actor) = await ArrangeAsync(provider);
        await using var _ = app;
        var norte = await CreateAsync(app, actor, "Tienda Norte", DemoUsers.Agent, expectPassword: null);

        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode); // an Agent in the demo workspace
        var home = await client.GetPageAsync("/");
        Assert.Contains("Demo Support", home);

        var switched = await client.PostWithTokenAsync("/account/password", "/account/workspace", new Dictionary<string, string> { ["workspace"] = norte.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains("Tienda Norte", await client.GetPageAsync("/"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode); // Admin there
        var users = await client.GetPageAsync("/admin/users");
        Assert.DoesNotContain(DemoUsers.Manager, users);

        // Not a member: refused, and the session stays where it was.
        var other = await client.PostWithTokenAsync("/account/password", "/account/workspace", new Dictionary<string, string> { ["workspace"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("Tienda Norte", await client.GetPageAsync("/"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Names_are_unique_and_refusals_leave_nothing_behind(DatabaseProvider provider)
    {
        var (app, actor) = await ArrangeAsync(provider);
        await using var _ = app;
        var taken = await Manage(app).CreateAsync(new ManageWorkspaces.NewWorkspace
        {
            Name = "Demo Support", AdminEmail = "x@y.test", AdminName = "X",
        }, actor, default);
        Assert.Equal("NameTaken", Assert.IsType<ManageWorkspaces.Result.Refused>(taken).Reason);
        var zone = await Manage(app).CreateAsync(new ManageWorkspaces.NewWorkspace
        {
            Name = "Zone", TimeZone = "Mars/Olympus", AdminEmail = "x@y.test", AdminName = "X",
        }, actor, default);
        Assert.Equal("TimeZone", Assert.IsType<ManageWorkspaces.Result.Refused>(zone).Reason);

        var norte = await CreateAsync(app, actor, "Norte", "ana@norte.test");
        Assert.Equal("NameTaken", Assert.IsType<ManageWorkspaces.Result.Refused>(await Manage(app).RenameAsync(norte, "Demo Support", actor, default)).Reason);
        Assert.IsType<ManageWorkspaces.Result.Done>(await Manage(app).RenameAsync(norte, "Norte SL", actor, default));

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(["Demo Support", "Norte SL"], await db.Tenants.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync());
        Assert.Equal(["workspace.created", "workspace.renamed"], await db.PlatformAuditEvents.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Each_limit_refuses_with_a_clear_reason_where_it_is_reached(DatabaseProvider provider)
    {
        var (app, actor) = await ArrangeAsync(provider);
        await using var _ = app;
        var demo = await app.Services.DemoTenantIdAsync();
        var entries = HitlAppFactory.DemoKnowledgeEntries;
        Assert.IsType<ManageWorkspaces.Result.Done>(await Manage(app).SetLimitsAsync(demo,
            new ManageWorkspaces.Limits { MaxUsers = 3, MaxKnowledgeEntries = entries, MaxMessagesPerDay = 2 }, actor, default));

        await using var scope = app.Services.ForTenant(demo, actor.UserId);
        var users = scope.ServiceProvider.GetRequiredService<ManageUsers>();
        var user = await users.CreateAsync(new ManageUsers.NewUser { Email = "n@demo.local", DisplayName = "N", Password = "NewPass2026x" }, default);
        Assert.Equal(new ManageUsers.Result.Refused("UserLimit", 3), user);

        var knowledge = scope.ServiceProvider.GetRequiredService<ManageKnowledge>();
        var entry = await knowledge.CreateAsync(new KnowledgeInput { Question = "¿Abrís en domingo?", Answer = "No.", Language = "es" }, default);
        Assert.Equal("KnowledgeErrorLimit", Assert.IsType<ManageKnowledge.Result.Invalid>(entry).Errors["Question"]);

        // Messages: the API refuses once the day's allowance is used; WhatsApp-style ingest keeps the message without a draft.
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync(SimulatorApi.Path, new { from = "+3460000000" + i, text = "Hola " + i })).StatusCode);
        var third = await api.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600000009", text = "Hola 3" });
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Contains("limit of 2 messages today", await third.Content.ReadAsStringAsync());

        var channel = await SimulatorChannelAsync(app, demo);
        var ingest = app.Services.GetRequiredService<IngestInbound>();
        await ingest.HandleAsync(demo, channel, ChannelKind.Simulator,
            [new InboundMessage("simulator", "+34600000010", null, "limit-test-1", DateTime.UtcNow, "text", "¿Dónde está mi pedido?", null, null)], [], default);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var kept = await db.Messages.SingleAsync(m => m.ExternalId == "limit-test-1");
        Assert.False(kept.AwaitingDraft);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_suspended_workspace_ends_its_sessions_refuses_sign_in_and_drafts_nothing_until_resumed(DatabaseProvider provider)
    {
        var (app, actor) = await ArrangeAsync(provider);
        await using var _ = app;
        var norte = await CreateAsync(app, actor, "Norte", DemoUsers.Manager, expectPassword: null);
        var demo = await app.Services.DemoTenantIdAsync();
        var agent = await FormPoster.SignedInClientAsync(app, DemoUsers.Agent, HitlAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/")).StatusCode);

        Assert.IsType<ManageWorkspaces.Result.Done>(await Manage(app).SetSuspendedAsync(demo, true, actor, default));
        var after = await agent.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.RedirectPath());
        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowserLikeClient().SignInAsync(DemoUsers.Agent, HitlAppFactory.DemoPassword)).StatusCode);

        // A member of another workspace signs in there instead.
        var manager = await FormPoster.SignedInClientAsync(app, DemoUsers.Manager, HitlAppFactory.DemoPassword);
        Assert.Contains("Norte", await manager.GetPageAsync("/"));

        var api = app.CreateClient();
        api.DefaultRequestHeaders.Add(SimulatorApi.KeyHeader, HitlAppFactory.SimulatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync(SimulatorApi.Path, new { from = "+34600000001", text = "Hola" })).StatusCode);

        var channel = await SimulatorChannelAsync(app, demo);
        await app.Services.GetRequiredService<IngestInbound>().HandleAsync(demo, channel, ChannelKind.Simulator,
            [new InboundMessage("simulator", "+34600000002", null, "suspended-1", DateTime.UtcNow, "text", "¿Dónde está mi pedido?", null, null)], [], default);
        var outbox = app.Services.GetRequiredService<DraftOutbox>();
        await outbox.DispatchAsync(default);
        Assert.Null(await DispatchedAsync(app, demo, "suspended-1"));

        Assert.IsType<ManageWorkspaces.Result.Done>(await Manage(app).SetSuspendedAsync(demo, false, actor, default));
        await outbox.DispatchAsync(default);
        Assert.NotNull(await DispatchedAsync(app, demo, "suspended-1"));
    }

    private static async Task<DateTime?> DispatchedAsync(HitlAppFactory app, Guid tenant, string externalId)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Messages.Where(m => m.ExternalId == externalId).Select(m => m.DraftDispatchedUtc).SingleAsync();
    }

    private static async Task<Guid> SimulatorChannelAsync(HitlAppFactory app, Guid tenant)
    {
        await using var scope = app.Services.ForTenant(tenant);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.Kind == ChannelKind.Simulator).Select(c => c.Id).FirstAsync();
    }
}
