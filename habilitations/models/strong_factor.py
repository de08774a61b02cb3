from django.conf import settings
from django.db import models


class StrongFactorPolicy(models.Model):
    """A company's requirement of a strong factor (docs/habilitations.md §14): from
    `applies_from` (a date, Paris time), whoever holds one of its *Payer* services or a role
    allowing to designate (AT, AS, delegating actor) must hold an authenticator app or a passkey
    (`Subscriber.strong_factor`), or that part of their rights is withheld.

    One row per company, keyed by the company: the rights' query reaches it by a primary-key
    join (`rights.queries`), and the registry's table (`companies.Company`, 4 million rows fed
    by the SIRENE import) stays free of a rule of the habilitations."""

    company = models.OneToOneField(
        "companies.Company",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="strong_factor_policy",
    )
    applies_from = models.DateField("Exigée à partir du")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField("Décidée le")

    class Meta:
        verbose_name = "exigence d'authentification forte"

    def __str__(self) -> str:
        return f"{self.company_id}: {self.applies_from}"
