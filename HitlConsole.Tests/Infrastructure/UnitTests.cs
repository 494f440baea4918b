using HitlConsole.Features.Account;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Security;
using HitlConsole.Infrastructure.Tenancy;

namespace HitlConsole.Tests.Infrastructure;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/inbox?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("/\r\nSet-Cookie:x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_app_relative_paths_are_local(string? url, bool local) => Assert.Equal(local, LocalUrl.IsLocal(url));

    [Fact]
    public void Sign_in_never_returns_to_the_sign_in_page() =>
        Assert.Equal("/", SignIn.SafeReturnUrl("/account/login?returnUrl=/x"));
}

public sealed class DatabaseOptionsTests
{
    private static string? Validate(string provider, string? connectionString) =>
        new ValidateDatabaseOptions().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString }).FailureMessage;

    [Theory]
    [InlineData("Sqlite", "Data Source=a.db")]
    [InlineData("sqlite", "Data Source=a.db")]
    [InlineData("Postgres", "Host=localhost;Database=hitl")]
    public void Valid_settings_pass(string provider, string cs) => Assert.Null(Validate(provider, cs));

    [Theory]
    [InlineData("Oracle", "Data Source=a.db", "'Database:Provider'")]
    [InlineData("1", "Data Source=a.db", "'Database:Provider'")]
    [InlineData("", "Data Source=a.db", "'Database:Provider'")]
    [InlineData("Sqlite", null, "'ConnectionStrings:Sqlite'")]
    [InlineData("Postgres", "   ", "'ConnectionStrings:Postgres'")]
    [InlineData("Sqlite", "Nonsense Key=1", "'ConnectionStrings:Sqlite'")]
    [InlineData("Postgres", "Database=hitl", "'ConnectionStrings:Postgres'")]
    public void Invalid_settings_name_the_key(string provider, string? cs, string key) =>
        Assert.Contains(key, Validate(provider, cs));

    [Fact]
    public void A_relative_sqlite_file_lives_under_the_app_folder()
    {
        var resolved = ConfigureDatabaseOptions.ResolveSqlitePath("Data Source=data/hitl.db;Cache=Shared", "/srv/app");
        Assert.Contains("Data Source=/srv/app/data/hitl.db", resolved);
        Assert.Contains("Cache=Shared", resolved);
        Assert.Equal("Data Source=/abs/x.db", ConfigureDatabaseOptions.ResolveSqlitePath("Data Source=/abs/x.db", "/srv/app"));
    }
}

public sealed class TenantContextTests
{
    [Fact]
    public void A_scope_cannot_switch_to_another_tenant()
    {
        var context = new TenantContext();
        var first = Guid.NewGuid();
        context.Set(first, "u1");
        context.Set(first, "u1");
        Assert.Throws<InvalidOperationException>(() => context.Set(Guid.NewGuid()));
        Assert.Equal(first, context.TenantId);
    }
}

public sealed class KnowledgeHashTests
{
    [Fact]
    public void Case_and_spacing_do_not_change_the_hash() =>
        Assert.Equal(KnowledgeHash.Of("How do I  cancel?", "Go to Orders."), KnowledgeHash.Of(" how do i cancel? ", "go to\norders."));

    [Fact]
    public void Different_answers_have_different_hashes() =>
        Assert.NotEqual(KnowledgeHash.Of("q", "a"), KnowledgeHash.Of("q", "b"));

    /// <summary>Stored entries carry hashes of the first implementation (split, join, lower-case): the faster one must agree.</summary>
    [Theory]
    [InlineData("How do I  cancel?", "Go to Orders.")]
    [InlineData("", "")]
    [InlineData("   ", "\t\n")]
    [InlineData("¿Dónde está MI PEDIDO?\u00A0\u2003ya", "ÑANDÚ Ärger İstanbul ΣΟΦΙΑ")]
    [InlineData("emoji 👍🏽 and 𐐀 (Deseret)", "crlf\r\n\r\n end ")]
    [InlineData("\u0085next line\u2028separator", "x")]
    public void The_hash_is_that_of_the_words_folded_and_lower_cased(string question, string answer) =>
        Assert.Equal(FirstImplementation(question, answer), KnowledgeHash.Of(question, answer));

    [Fact]
    public void A_lone_surrogate_hashes_as_before() =>
        Assert.Equal(FirstImplementation("lone " + (char)0xD800 + " high", "and low " + (char)0xDC00), KnowledgeHash.Of("lone " + (char)0xD800 + " high", "and low " + (char)0xDC00));

    private static string FirstImplementation(string question, string answer)
    {
        static string Normalise(string s) =>
            string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Normalise(question) + "\n" + Normalise(answer))));
    }

    [Fact]
    public void A_known_text_keeps_its_hash() =>
        Assert.Equal("9c57f85679441f4e834d56797149a504b34663efb82070998a6ffda1495a68f9", KnowledgeHash.Of("How do I cancel?", "Go to Orders."));
}
