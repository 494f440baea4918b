using HitlConsole.Features.Learning;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.Options;

namespace HitlConsole.Tests.Features.Learning;

/// <summary>
/// Knowledge gaps group the questions customers ask in other words: each set below is one topic the knowledge does not cover,
/// asked several ways, beside topics that share words ("gift wrap" and "gift cards"). The figures are pairs of questions: put
/// together rightly (recall), and never two topics together (precision).
/// </summary>
public sealed class MeaningClustersTests
{
    private static readonly string[][] English =
    [
        ["Do you offer gift wrapping?", "can you wrap my order as a present?", "Is gift wrap available for my order?", "could it come gift wrapped"],
        ["Do you have a student discount?", "any discounts for students??", "is there a student price"],
        ["Can I pick up my order at your warehouse?", "is collection from your warehouse possible instead of delivery", "can I collect it myself from the warehouse"],
        ["Are your products vegan?", "is the leather real or vegan", "do you sell vegan stuff"],
        ["Do you have a loyalty programme?", "do I earn points when I shop with you?", "is there a rewards scheme"],
        ["Do you ship to Iceland?", "can you deliver to Reykjavik", "shipping to iceland possible?"],
        ["Can I pay with Bitcoin?", "do you take crypto", "is bitcoin accepted as payment"],
        ["Are you open on Sundays?", "what are your opening hours on sunday", "is the shop open sunday"],
        ["Do you sell gift cards?", "can I buy a voucher for a friend", "do you have gift vouchers"],
        ["Is there a size guide?", "how do your sizes run", "do your shoes run small"],
        ["Do you have a physical store in Madrid?", "is there a shop in madrid I can visit"],
        ["Can I change the colour after ordering?", "I want the blue one instead of the red one I ordered"],
        ["Do you offer installments?", "can I pay in 3 monthly payments", "is there a buy now pay later option"],
        ["Are you hiring?", "do you have any job openings"],
    ];

    private static readonly string[][] Spanish =
    [
        ["¿Hacéis envoltorio para regalo?", "me lo pueden envolver para regalo?", "¿se puede pedir envuelto para regalo?"],
        ["¿Tenéis descuento para estudiantes?", "hay descuento de estudiante?", "precio especial para universitarios?"],
        ["¿Puedo recoger el pedido en vuestro almacén?", "se puede pasar a buscar al almacen?", "¿puedo ir yo a recogerlo al almacén?"],
        ["¿Los productos son veganos?", "¿tenéis productos veganos?"],
        ["¿Tenéis programa de puntos?", "¿acumulo puntos con mis compras?", "hay tarjeta de fidelidad?"],
        ["¿Enviáis a Canarias?", "hacen envíos a las islas canarias?", "¿llega el envío a Tenerife?"],
        ["¿Aceptáis Bizum?", "se puede pagar con bizum?"],
        ["¿Abrís los domingos?", "¿cuál es el horario del domingo?", "la tienda abre el domingo?"],
        ["¿Vendéis tarjetas regalo?", "quiero comprar un cheque regalo para una amiga", "tienen vales de regalo?"],
        ["¿Hay guía de tallas?", "¿las tallas son grandes o pequeñas?"],
        ["¿Estáis contratando?", "¿hay ofertas de trabajo?"],
    ];

    private static (double Precision, double Recall) Pairs(string[][] topics, string language)
    {
        var clusters = new MeaningClusters(HitlAppFactory.SharedEmbedder, Options.Create(new LearningOptions()));
        var items = topics.SelectMany((topic, t) => topic.Select(text => new MeaningClusters.Item<int>(t, text, language))).ToList();
        var groups = clusters.Group(items, default);
        var together = groups.SelectMany(g => g.SelectMany((a, i) => g.Skip(i + 1).Select(b => a == b))).ToList();
        var truth = topics.Sum(t => t.Length * (t.Length - 1) / 2);
        return (together.Count(same => same) / (double)Math.Max(1, together.Count), together.Count(same => same) / (double)truth);
    }

    // Measured when the words were added to the cosine (docs/quality.md): English recall 0.31 → 0.59, Spanish 0.08 → 0.40,
    // precision 1.0 before and after.
    [Theory]
    [InlineData("en", 0.55)]
    [InlineData("es", 0.35)]
    public void Paraphrases_share_a_group_and_topics_that_share_words_do_not(string language, double recall)
    {
        var (precision, found) = Pairs(language == "es" ? Spanish : English, language);
        Assert.Equal(1.0, precision);
        Assert.True(found >= recall, $"{language}: {found:F2} of the paraphrase pairs grouped (at least {recall})");
    }
}
