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
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)

    class Meta:
        # The table of the rows written before the outbox had its own app: kept, with its rows.
        db_table = "habilitations_notification"
        ordering = ["cree_le"]
        indexes = [models.Index(fields=["envoyee_le"], name="notification_a_envoyer"),
                   models.Index(fields=["objet"], name="notification_objet")]

    def __str__(self):
        return f"{self.sujet} → {self.destinataires}"
