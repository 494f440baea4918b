using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Ai;

public sealed class TriedStepsTests
{
    [Theory]
    [InlineData("Pedí tres veces el enlace para restablecer la contraseña y no me llega nada, ni en correo no deseado. Ayuda",
        "Vamos a solucionarlo. El correo puede tardar unos minutos: revisa la carpeta de spam o de correo no deseado.", true)]
    [InlineData("ya cambie la contraseña con el link pero ahora me dice q es incorrecta cuando entro",
        "Si no recuerdas la actual, pulsa «¿Olvidaste tu contraseña?» en la página de acceso.", true)]
    [InlineData("I checked my spam folder, nothing there", "The e-mail can take a few minutes: check your spam or junk folder.", true)]
    [InlineData("I already used the reset link but it says expired", "Click Forgot password on the sign-in page and follow the link.", true)]
    [InlineData("cleared the cache and tried another browser, still can't log in", "Try clearing your browser's cache and cookies.", true)]
    // Nothing tried, or an answer that goes further: nothing repeated.
    [InlineData("I can't find the reset e-mail", "The e-mail can take a few minutes: check your spam or junk folder.", false)]
    [InlineData("I checked my spam folder, nothing there", "We'll send a new link to your e-mail now; if it does not arrive in 10 minutes, reply here and we'll reset it for you.", false)]
    [InlineData("ya revisé el spam y nada", "Te reenviamos el enlace ahora mismo; si en 10 minutos no llega, te lo cambiamos nosotros.", false)]
    public void An_answer_that_tells_the_customer_to_do_again_what_they_did_is_told_apart(string customer, string answer, bool repeats) =>
        Assert.Equal(repeats, TriedSteps.Repeats(customer, answer));

    [Theory]
    [InlineData("ya cambie la contraseña con el link pero ahora me dice q es incorrecta", "Ya miré en spam y no me llega el correo",
        "Gracias por mirar ya en spam. Dinos el correo que estás escribiendo y te enviamos nosotros el enlace.", true)]
    [InlineData("no me llega el correo para cambiar la contraseña", "Ya miré en spam y no me llega el correo",
        "Gracias por mirar ya en spam. Dinos el correo que estás escribiendo.", true)]
    [InlineData("ya miré en spam y nada", "Ya miré en spam y no me llega el correo", "Gracias por mirar ya en spam. Dinos el correo.", false)]
    [InlineData("never got the confirmation email after signing up", "Signed up but no confirmation e-mail, and I checked spam",
        "Tell us the e-mail address you signed up with and we'll send you the confirmation again.", false)]
    public void An_answer_thanking_for_a_step_the_customer_never_mentioned_is_told_apart(string customer, string question, string answer, bool presumes) =>
        Assert.Equal(presumes, TriedSteps.Presumes(customer, question, answer));
}
