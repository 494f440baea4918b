using HitlConsole.Features.Knowledge.Import;

namespace HitlConsole.Tests.Features.Knowledge;

public sealed class PersonalDataScanTests
{
    private static ImportRecord Row(long row, string answer, string question = "How do I cancel?") =>
        new(row, new Dictionary<string, string?> { ["question"] = question, ["answer"] = answer });

    [Theory]
    [InlineData("Your last purchase with the order number 732201349959 was shipped.", true)]
    [InlineData("Write to maria.lopez@example.com for a refund.", true)]
    [InlineData("Call +34 600 111 222 any time.", true)]
    [InlineData("Call (555) 010-0199 any time.", true)]
    [InlineData("Open {{Order History}} and pick order {{Order Number}}.", false)]
    [InlineData("We are open 9:00 to 18:00, refunds take 5 to 10 days, since 2024-05-01.", false)]
    [InlineData("Prices start at 1.299,00 EUR.", false)]
    public void Long_numbers_e_mail_addresses_and_phone_numbers_look_like_personal_data(string text, bool expected) =>
        Assert.Equal(expected, PersonalDataScan.Find(text) is not null);

    [Fact]
    public void Rows_are_counted_per_column_with_a_few_examples()
    {
        var scan = new PersonalDataScan();
        scan.Add(Row(1, "Order 732201349959 is on its way."));
        scan.Add(Row(2, "Nothing personal here."));
        scan.Add(Row(3, "Mail ana@example.com or call +1 555 010 0199.", question: "my order 00123842?"));
        for (var i = 4; i < 10; i++) scan.Add(Row(i, $"Invoice 9{i}0000000 is paid."));

        var answers = scan.Findings["Answer"];
        Assert.Equal(8, answers.Count); // rows, not matches: row 3 counts once
        Assert.Equal(PersonalDataScan.MaxExamples, answers.Examples.Count);
        Assert.Equal((1L, "Order 732201349959 is on its way."), (answers.Examples[0].Row, answers.Examples[0].Excerpt));
        Assert.Equal(1, scan.Findings["question"].Count);
    }
}
