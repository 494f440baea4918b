using HitlConsole.Infrastructure.Security;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Channel tokens and model API keys show the same hint: the last four characters of a long secret, nothing of a short one.</summary>
public sealed class SecretHintTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("abc", "••••")]
    [InlineData("abcde", "••••")]
    [InlineData("12345678", "••••")]
    [InlineData("123456789", "6789")]
    [InlineData("EAAG-demo-token-3a91", "3a91")]
    [InlineData("sk-test-1234abcd", "abcd")]
    public void A_secret_shows_its_last_four_characters_only_when_it_is_long_enough_to_keep_the_rest_hidden(string? secret, string? hint) =>
        Assert.Equal(hint, SecretHint.Of(secret));

    [Fact]
    public void A_short_secret_does_not_give_away_its_length()
    {
        Assert.Equal(SecretHint.Of("ab"), SecretHint.Of("abcdefgh"));
        Assert.DoesNotContain("ab", SecretHint.Of("ab"));
    }
}
