"""The outbox: written in the transaction of the event, sent by Celery, retried until sent.

Shared machinery: it knows no app. A file sent with an email (a convention, an avenant) is a copy
held by the row itself, so that the outbox points at no table of another app.
"""

from django.db import models
from django.utils import timezone


class Notification(models.Model):
    destinataires = models.TextField(help_text="Adresses séparées par des virgules.")
    sujet = models.CharField(max_length=255)
    corps = models.TextField()
    # The attached file, if any: its name, its type and its bytes.
    piece_jointe_nom = models.CharField("pièce jointe", max_length=255, blank=True)
    piece_jointe_type = models.CharField("type de la pièce jointe", max_length=100, blank=True)
    piece_jointe = models.BinaryField("contenu de la pièce jointe", null=True, blank=True)
    # What the email is about ("demande:DI-…"), when it carries someone's data: the app that owns that
    # object destroys its emails with it (their own age would let them outlive it).
    objet = models.CharField("objet", max_length=40, blank=True, default="")
    # The département the email belongs to (its CAF reads its failures in the back office); empty: national.
    territoire = models.CharField("département", max_length=3, blank=True, default="")
    # A link that opens an account (reset, activation): the body is blanked once it is sent.
    secret = models.BooleanField("contient un lien personnel", default=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    # A worker that takes the row sets this lease first, then talks SMTP outside any transaction; nobody
    # else sends it while the lease runs (notifications.tasks.send_notification).
    envoi_commence_le = models.DateTimeField("envoi commencé le", null=True, blank=True)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    # The relay refused it for good (5xx), or every retry failed: nobody sends it again unless asked.
    echec_le = models.DateTimeField("en échec depuis le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    # After a failed attempt, when the broker's retry is due: the sweep (flush_outbox) leaves the row to it
    # until then, and takes it if the broker lost it (Redis restarted empty).
    prochain_essai_le = models.DateTimeField("prochain essai le", null=True, blank=True)
    derniere_erreur = models.TextField("dernière erreur", blank=True)

    class Meta:
        # The table of the rows written before the outbox had its own app: kept, with its rows.
        db_table = "habilitations_notification"
        ordering = ["cree_le"]
        verbose_name = "courriel"
        verbose_name_plural = "courriels en attente et en échec"
        indexes = [models.Index(fields=["envoyee_le"], name="notification_a_envoyer"),
                   models.Index(fields=["objet"], name="notification_objet")]

    def __str__(self):
        return self.sujet

    @property
    def etat(self) -> str:
        if self.envoyee_le:
            return "envoyé"
        return "en échec" if self.echec_le else "en attente"
