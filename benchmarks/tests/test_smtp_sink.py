"""The load test's SMTP server: what it counts is what the outbox delivered, duplicates included."""

from django.core.mail import EmailMessage, get_connection

from benchmarks.smtp_sink import SmtpSink


def _send(sink, to, subject, body):
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=sink.port,
                                use_tls=False, use_ssl=False, username="", password="", timeout=5)
    EmailMessage(subject, body, "ne-pas-repondre@example.fr", to, connection=connection).send()


def test_each_recipient_and_reference_is_counted_as_often_as_it_arrives():
    with SmtpSink() as sink:
        _send(sink, ["Sarah@example.fr"], "monenfant : votre demande DI-0A1B2C3D est enregistrée",
              "Votre demande d'information DI-0A1B2C3D est enregistrée. " + "Élément accentué. " * 40)
        _send(sink, ["julie@pif43.example.fr"], "monenfant : une nouvelle demande d'information",
              "Une nouvelle demande d'information d'une famille vous attend (DI-0A1B2C3D).")
        _send(sink, ["julie@pif43.example.fr"], "monenfant : une nouvelle demande d'information",
              "Une nouvelle demande d'information d'une famille vous attend (DI-0A1B2C3D).")
        _send(sink, ["paul@pif43.example.fr"], "Sans référence", "Rien à compter.\n.\nMême une ligne d'un point.")
    assert sink.messages == 4
    assert dict(sink.pairs) == {("sarah@example.fr", "DI-0A1B2C3D"): 1, ("julie@pif43.example.fr", "DI-0A1B2C3D"): 2}
