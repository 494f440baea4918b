using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Search;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HitlConsole.Tests.Features.Knowledge;

/// <summary>The in-process full-text index drafting reads: it follows every change to the knowledge at the next search.</summary>
public sealed class KnowledgeTextIndexTests(ITestOutputHelper output)
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Fact]
    public async Task After_a_start_the_active_workspaces_indexes_are_built_before_their_first_search()
    {
        // The production setting (10 workspaces); the suite's other apps build none ahead.
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Embeddings:WarmWorkspaces"] = "10" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var text = app.Services.GetRequiredService<KnowledgeTextIndex>();
        Assert.False(text.Holds(Guid.NewGuid()));
        await Eventually.GetAsync(() => Task.FromResult(text.Holds(tenant) ? "built" : null), 60, "the demo workspace's text index");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Added_edited_deactivated_and_deleted_entries_are_searched_as_they_now_are(DatabaseProvider provider)
    {
        // A minute's trust in the last look: only the write interceptor can make these changes visible in time.
        await using var app = await HitlAppFactory.CreateAsync(provider,
            new Dictionary<string, string?> { ["Embeddings:IndexFreshness"] = "00:01:00" });
        var tenant = await app.Services.DemoTenantIdAsync();
        var vectors = app.Services.GetRequiredService<KnowledgeIndex>();
        var text = app.Services.GetRequiredService<KnowledgeTextIndex>();
        // The text index alone: through KnowledgeSearch, meaning would also find an entry whose words are gone.
        async Task<IReadOnlyList<Guid>> FindAsync(string query, string language = "en")
        {
            var stamp = (await vectors.GetAsync(tenant, CancellationToken.None)).Stamp;
            return (await text.SearchAsync(tenant, stamp, query, language, 5, CancellationToken.None)).Select(h => h.Id).ToList();
        }
        async Task ChangeAsync(Func<HitlDbContext, Task> change)
        {
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            await change(db);
            await db.SaveChangesAsync();
        }
        KnowledgeEntry Entry(string question, string answer, string language) => new()
        {
            Question = question, Answer = answer, Language = language, ContentHash = KnowledgeHash.Of(question, answer),
            CreatedUtc = DateTime.UtcNow, UpdatedUtc = DateTime.UtcNow,
        };
        Assert.NotEmpty(await FindAsync("where is my order")); // the index of the demo knowledge is built

        // New entries, still without vectors: found by their words alone, each in its language's stems.
        var english = Entry("Do you sell the Zorblax kettle?", "The Zorblax kettle ships in two days.", "en");
        var spanish = Entry("¿Me cobraron dos veces la suscripción Quintelar?", "Devolvemos el cobro duplicado de Quintelar en 48 horas.", "es");
        await ChangeAsync(db => { db.KnowledgeEntries.AddRange(english, spanish); return Task.CompletedTask; });
        Assert.Equal(english.Id, (await FindAsync("zorblax kettles"))[0]);
        Assert.Equal(spanish.Id, (await FindAsync("cobro duplicado quintelar", "es"))[0]);

        // Edited: the old word no longer finds it, the new one does.
        await ChangeAsync(async db =>
        {
            var e = await db.KnowledgeEntries.SingleAsync(x => x.Id == english.Id);
            e.Question = "Do you sell the Vextrum kettle?";
            e.Answer = "The Vextrum kettle ships in two days.";
            e.UpdatedUtc = DateTime.UtcNow.AddSeconds(1);
        });
        Assert.DoesNotContain(english.Id, await FindAsync("zorblax"));
        Assert.Equal(english.Id, (await FindAsync("vextrum"))[0]);

        // Deactivated: gone from drafting.
        await ChangeAsync(async db =>
        {
            var e = await db.KnowledgeEntries.SingleAsync(x => x.Id == english.Id);
            e.Active = false;
            e.UpdatedUtc = DateTime.UtcNow.AddSeconds(2);
        });
        Assert.DoesNotContain(english.Id, await FindAsync("vextrum"));

        // Deleted without a newer stamp on any row: the count tells, and the index is rebuilt.
        await ChangeAsync(async db => await db.KnowledgeEntries.Where(x => x.Id == spanish.Id).ExecuteDeleteAsync());
        Assert.DoesNotContain(spanish.Id, await FindAsync("cobro duplicado quintelar", "es"));

        // Raw SQL in a transaction of its own (stamping the row, as every write does): seen at the commit.
        await ChangeAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                 UPDATE "KnowledgeEntries" SET "Active" = {true}, "Question" = {"Do you sell the Plombix kettle?"},
                        "UpdatedUtc" = {DateTime.UtcNow.AddSeconds(3)} WHERE "Id" = {english.Id}
                 """);
            await tx.CommitAsync();
        });
        Assert.Equal(english.Id, (await FindAsync("plombix"))[0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_restart_loads_the_saved_index_of_unchanged_knowledge_and_never_one_of_changed_knowledge(DatabaseProvider provider)
    {
        await using var database = await DatabaseTemplates.CopyAsync(provider, null);
        var verbose = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" };
        async Task<(IReadOnlyList<Guid> Found, string Logs)> StartAndSearchAsync(string query)
        {
            var logs = new CapturedLogs();
            await using var app = new HitlAppFactory(database, verbose, ownsDatabase: false)
            {
                TestServices = s => s.AddSingleton<Serilog.Core.ILogEventSink>(logs),
            };
            var tenant = await app.Services.DemoTenantIdAsync();
            var stamp = (await app.Services.GetRequiredService<KnowledgeIndex>().GetAsync(tenant, CancellationToken.None)).Stamp;
            var hits = await app.Services.GetRequiredService<KnowledgeTextIndex>().SearchAsync(tenant, stamp, query, "en", 5, CancellationToken.None);
            foreach (var line in logs.Lines.Where(l => l.StartsWith("Knowledge text index", StringComparison.Ordinal))) output.WriteLine(line);
            return (hits.Select(h => h.Id).ToList(), logs.All);
        }

        // Another app of this run may have saved the demo's index already: the second start on the same knowledge loads.
        var first = await StartAndSearchAsync("where is my order");
        Assert.NotEmpty(first.Found);
        var second = await StartAndSearchAsync("where is my order");
        Assert.Contains("loaded from its snapshot", second.Logs);
        Assert.Equal(first.Found, second.Found);

        // An answer rewritten under the same stamp (a clock that went back, a restored backup): the content differs, so
        // the saved index is not used and the new word is found.
        Guid changed;
        await using (var app = new HitlAppFactory(database, ownsDatabase: false))
        {
            var tenant = await app.Services.DemoTenantIdAsync();
            await using var scope = app.Services.ForTenant(tenant);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            changed = first.Found[0];
            await db.KnowledgeEntries.Where(e => e.Id == changed)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.Answer, "Your Glimmerquad parcel is on its way."));
        }
        var third = await StartAndSearchAsync("glimmerquad");
        Assert.Contains("Knowledge text index built", third.Logs);
        Assert.Equal(changed, Assert.Single(third.Found));
    }

    [Theory]
    [InlineData("INSERT INTO \"KnowledgeEntries\" (\"Id\") VALUES (@p0)", true)]
    [InlineData("UPDATE \"KnowledgeEntries\" AS k SET \"Embedding\" = @p0", true)]
    [InlineData("DELETE FROM \"KnowledgeEntries\" AS k WHERE k.\"Id\" = @p0", true)]
    [InlineData("insert into KnowledgeEntries (Id) values ($id)", true)]
    [InlineData("SELECT k.\"Id\" FROM \"KnowledgeEntries\" AS k", false)]
    [InlineData("UPDATE \"Drafts\" SET \"Text\" = (SELECT \"Answer\" FROM \"KnowledgeEntries\" LIMIT 1)", false)]
    [InlineData("INSERT INTO \"KnowledgeEntriesFts\" (rowid) VALUES (1)", false)]
    public void Writes_to_the_knowledge_table_are_told_from_reads(string sql, bool writes) =>
        Assert.Equal(writes, KnowledgeWriteInterceptor.WritesKnowledge(sql));

    [Fact]
    public async Task A_spanish_question_finds_the_spanish_answer_by_words_and_meaning()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var hits = await app.Services.GetRequiredService<KnowledgeSearch>()
            .SearchAsync(tenant, "me cobraron dos veces el mismo pedido", "es", 5, CancellationToken.None);
        Assert.NotEmpty(hits);
        Assert.Equal("es", hits[0].Language);
    }
}
