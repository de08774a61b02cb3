"""Why a company writes (docs/messaging.md §2): the motif chosen on *Écrire*; a data module."""

from django.db import models


class Motif(models.TextChoices):
    DECLARATION = "declaration", "Question sur une déclaration"
    PAYMENT = "paiement", "Question sur un paiement"
    PAYMENT_DELAY = "delais_paiement", "Demande de délais de paiement"
    ONLINE_SERVICE = "service_en_ligne", "Signaler une difficulté avec un service en ligne"
    OTHER = "autre", "Autre demande"
